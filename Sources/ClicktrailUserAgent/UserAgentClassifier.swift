import ClicktrailSupport
import Dispatch
import Foundation

/// A User-Agent classifier that parses each distinct header once and returns repeats from a
/// cache that any number of threads may share.
///
/// The cache is bounded by `capacity` entries. A report run classifies each distinct header
/// of its input, and crawlers and misbehaving clients can send millions of one-off headers, so
/// an unbounded cache would grow with the input rather than with the set of real devices.
/// Once the cache is full, further new headers are parsed on every call and not stored, and
/// the headers already cached stay. That costs no eviction bookkeeping under the lock and keeps
/// the headers seen first, which in a report's input are mostly the common ones.
public final class UserAgentClassifier: Sendable {
  /// The default capacity: 262,144 entries.
  public static let defaultCapacity = 1 << 18

  public let parser: UserAgentParser
  public let capacity: Int
  private let cache: LockedValue<[String: UserAgentInfo]>

  public init(parser: UserAgentParser, capacity: Int = UserAgentClassifier.defaultCapacity) {
    precondition(capacity >= 0, "capacity must not be negative")
    self.parser = parser
    self.capacity = capacity
    self.cache = LockedValue([:])
  }

  /// Loads the rules in `regexesPath` and creates a classifier with an empty cache.
  public convenience init(
    regexesPath: String = UserAgentParser.defaultRegexesPath,
    capacity: Int = UserAgentClassifier.defaultCapacity
  ) throws(UserAgentRulesError) {
    self.init(parser: try UserAgentParser(regexesPath: regexesPath), capacity: capacity)
  }

  /// The number of headers in the cache.
  public var cachedCount: Int {
    cache.withLock { $0.count }
  }

  /// Returns the parsed fields and device type of `userAgent`, from the cache when it is there.
  ///
  /// Parsing runs outside the lock, so two threads that meet the same new header at once may
  /// both parse it. Both get the same result, and the cache stores it once.
  public func classify(_ userAgent: String) -> UserAgentInfo {
    if let cached = cache.withLock({ $0[userAgent] }) {
      return cached
    }
    let info = parser.parse(userAgent)
    cache.withLock { entries in
      if entries.count < capacity {
        entries[userAgent] = info
      }
    }
    return info
  }

  /// Classifies every header of `userAgents` on `threadCount` threads and returns the results
  /// in the same order.
  ///
  /// Thread `t` takes the headers at positions `t`, `t + threadCount`, ..., so that a run of
  /// slow headers is shared between threads. Repeated headers are allowed and cost one parse.
  public func classifyAll(
    _ userAgents: [String],
    threadCount: Int = ProcessInfo.processInfo.activeProcessorCount
  ) -> [UserAgentInfo] {
    let threads = max(1, min(threadCount, userAgents.count))
    if threads == 1 {
      return userAgents.map(classify)
    }
    let partials = LockedValue([[UserAgentInfo]](repeating: [], count: threads))
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      var results: [UserAgentInfo] = []
      results.reserveCapacity(userAgents.count / threads + 1)
      for index in stride(from: thread, to: userAgents.count, by: threads) {
        results.append(classify(userAgents[index]))
      }
      partials.withLock { $0[thread] = results }
    }
    let byThread = partials.withLock { $0 }
    return userAgents.indices.map { byThread[$0 % threads][$0 / threads] }
  }
}
