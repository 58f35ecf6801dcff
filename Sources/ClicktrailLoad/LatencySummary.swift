/// Percentiles of a set of latencies.
public struct LatencySummary: Sendable, Equatable {
  /// The number of latencies.
  public let count: Int
  /// The percentiles in nanoseconds, by nearest rank; 0 when `count` is 0.
  public let p50: UInt64
  public let p90: UInt64
  public let p99: UInt64
  public let p999: UInt64
  public let max: UInt64

  /// Summarizes `latencies` (nanoseconds, in any order).
  /// - Complexity: O(n log n) for n latencies.
  public init(_ latencies: [UInt64]) {
    let sorted = latencies.sorted()
    count = sorted.count
    p50 = Self.percentile(permille: 500, of: sorted)
    p90 = Self.percentile(permille: 900, of: sorted)
    p99 = Self.percentile(permille: 990, of: sorted)
    p999 = Self.percentile(permille: 999, of: sorted)
    max = sorted.last ?? 0
  }

  /// Returns the nearest-rank percentile: the smallest value that at least `permille` per
  /// thousand of `sorted` do not exceed.
  static func percentile(permille: Int, of sorted: [UInt64]) -> UInt64 {
    guard !sorted.isEmpty else { return 0 }
    let rank = (sorted.count * permille + 999) / 1000
    return sorted[Swift.max(1, rank) - 1]
  }
}
