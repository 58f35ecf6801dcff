import ClicktrailLoad
import Foundation

// Sends requests to a loopback URL at a fixed rate and prints latency percentiles measured
// from each request's scheduled send time. bench/serve runs it against the service and nginx.

private let loadUsage = """
  usage: clicktrail-bench load URL [--rate N] [--connections N] [--duration SECONDS]
    URL            http://127.0.0.1:PORT/PATH or http://[::1]:PORT/PATH
    --rate         requests per second, 1 to 1000000 (default 10000)
    --connections  keep-alive connections, 1 to 1024 (default 50)
    --duration     seconds of scheduled requests, 1 to 60 (default 10); the run waits up
                   to 5 s more for the last responses
  """

/// Parses the options of `load`, runs the load and prints its result.
/// - Returns: The exit status: 0, 64 for invalid options, 1 when the run failed.
func runLoadCommand(_ arguments: [String]) -> Int32 {
  var url: String?
  var rate = 10_000
  var connections = 50
  var duration = 10
  var index = 0
  while index < arguments.count {
    let argument = arguments[index]
    if argument.hasPrefix("--") {
      guard index + 1 < arguments.count, let value = Int(arguments[index + 1]) else {
        return usageError("option \(argument) needs a whole number")
      }
      switch argument {
      case "--rate": rate = value
      case "--connections": connections = value
      case "--duration": duration = value
      default: return usageError("unknown option \(argument)")
      }
      index += 2
    } else {
      guard url == nil else { return usageError("unexpected argument '\(argument)'") }
      url = argument
      index += 1
    }
  }
  guard let url else { return usageError("missing URL") }
  do {
    let configuration = LoadGenerator.Configuration(
      target: try LoadTarget(url: url), rate: rate, connections: connections,
      durationSeconds: duration)
    let generator = try LoadGenerator(configuration: configuration)
    let result = try generator.run()
    printLoadResult(result, configuration: configuration)
    return result.failures == 0 && result.timedOut == 0 ? 0 : 1
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return error.description.hasPrefix("invalid") ? 64 : 1
  }
}

private func usageError(_ message: String) -> Int32 {
  FileHandle.standardError.write(Data("error: \(message)\n\(loadUsage)\n".utf8))
  return 64
}

private func milliseconds(_ nanoseconds: UInt64) -> String {
  String(format: "%.3f", Double(nanoseconds) / 1e6)
}

private func printLoadResult(
  _ result: LoadGenerator.Result, configuration: LoadGenerator.Configuration
) {
  let latency = result.latency
  let statuses = result.statuses.keys.sorted().map { "\($0): \(result.statuses[$0]!)" }
  print(
    "load: \(configuration.requestCount) requests at \(configuration.rate) req/s over "
      + "\(configuration.connections) connections for \(configuration.durationSeconds) s")
  print(
    "completed: \(latency.count) (\(statuses.joined(separator: ", "))), "
      + "failed: \(result.failures), timed out: \(result.timedOut), "
      + "reconnections: \(result.reconnections)")
  print("achieved: \(String(format: "%.0f", result.achievedRate)) req/s")
  print(
    "latency ms: p50 \(milliseconds(latency.p50)) p90 \(milliseconds(latency.p90)) "
      + "p99 \(milliseconds(latency.p99)) p99.9 \(milliseconds(latency.p999)) "
      + "max \(milliseconds(latency.max))")
  print(
    "send delay ms: p50 \(milliseconds(result.sendDelay.p50)) "
      + "p99 \(milliseconds(result.sendDelay.p99)) max \(milliseconds(result.sendDelay.max))")
}
