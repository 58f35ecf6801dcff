import ClicktrailUserAgent
import Foundation

// Classifies distinct real User-Agent headers, taken from the test files of Debian's uap-core
// package, with a fresh cache each round, so every header is parsed once per round. Prints
// headers per second on one thread and on every core, and for lookups that hit the cache.
// Not a test: timing depends on the machine.

private let testDirectory = "/usr/share/uap-core/tests"

/// Returns the distinct user_agent_string values of uap-core's three test files, in file order.
private func loadUserAgents() throws -> [String] {
  var seen: Set<String> = []
  var userAgents: [String] = []
  for name in ["test_ua.yaml", "test_os.yaml", "test_device.yaml"] {
    let root = try YAMLDocument.load(path: "\(testDirectory)/\(name)")
    for entry in root?.value(forKey: "test_cases")?.items ?? [] {
      if let userAgent = entry.value(forKey: "user_agent_string")?.string,
        seen.insert(userAgent).inserted
      {
        userAgents.append(userAgent)
      }
    }
  }
  return userAgents
}

/// Runs `body` five times and returns the shortest wall-clock time in seconds.
private func bestTime(_ body: () -> Void) -> Double {
  var best = Double.infinity
  for _ in 0..<5 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return best
}

private func rate(_ count: Int, _ seconds: Double) -> String {
  String(format: "%.0f", Double(count) / seconds)
}

/// Runs the benchmark on the first `limit` distinct headers, or on all when `limit` is nil.
func runUserAgentBenchmark(limit: Int?) throws {
  var userAgents = try loadUserAgents()
  if let limit {
    userAgents = Array(userAgents.prefix(limit))
  }
  let loadStart = DispatchTime.now().uptimeNanoseconds
  let parser = try UserAgentParser()
  let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
  let counts = parser.ruleCounts
  print(
    "rules: \(counts.browser) browser, \(counts.os) OS, \(counts.device) device; "
      + "loaded and compiled in \(String(format: "%.2f", loadSeconds)) s; "
      + "JIT: \(parser.isJITCompiled ? "yes" : "no")")
  print("headers: \(userAgents.count) distinct, from \(testDirectory)")

  let cores = ProcessInfo.processInfo.activeProcessorCount
  for threads in Set([1, cores]).sorted() {
    let seconds = bestTime {
      let classifier = UserAgentClassifier(parser: parser)
      _ = classifier.classifyAll(userAgents, threadCount: threads)
    }
    print("parse, \(threads) thread(s): \(rate(userAgents.count, seconds)) UAs/s (best of 5)")
  }

  let warm = UserAgentClassifier(parser: parser)
  _ = warm.classifyAll(userAgents, threadCount: cores)
  let cachedSeconds = bestTime {
    for userAgent in userAgents {
      _ = warm.classify(userAgent)
    }
  }
  print("cached lookup, 1 thread: \(rate(userAgents.count, cachedSeconds)) UAs/s (best of 5)")
}
