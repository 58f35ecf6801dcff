import Foundation

/// The tests and intervals that `clicktrail compare` applies to two proportions.
public enum Statistics {
  /// The 0.975 quantile of the standard normal distribution, for 95% intervals.
  public static let z975 = 1.959963984540054

  /// The two-sided p-value of the pooled two-proportion z-test of `x1/n1` against `x2/n2`:
  /// z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)) with the pooled p = (x1 + x2) / (n1 + n2),
  /// and p-value = erfc(|z| / sqrt 2). Returns nil when either n is 0 or the pooled p is 0
  /// or 1, where the test has no variance to work with.
  public static func twoProportionPValue(x1: Int, n1: Int, x2: Int, n2: Int) -> Double? {
    guard n1 > 0, n2 > 0 else { return nil }
    let pooled = Double(x1 + x2) / Double(n1 + n2)
    let variance = pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))
    guard variance > 0 else { return nil }
    let z = (Double(x2) / Double(n2) - Double(x1) / Double(n1)) / variance.squareRoot()
    return erfc(abs(z) / 2.0.squareRoot())
  }

  /// The Wilson score interval of the proportion `x/n` at the normal quantile `z`:
  /// (x + z²/2 ± z sqrt(x (n - x) / n + z²/4)) / (n + z²). Nil when n is 0.
  public static func wilson(x: Int, n: Int, z: Double = z975) -> (low: Double, high: Double)? {
    guard n > 0 else { return nil }
    let count = Double(x)
    let total = Double(n)
    let z2 = z * z
    let center = (count + z2 / 2) / (total + z2)
    let half = z * (count * (total - count) / total + z2 / 4).squareRoot() / (total + z2)
    return (max(0, center - half), min(1, center + half))
  }

  /// Newcombe's hybrid score interval for the difference p2 - p1 (method 10 of Newcombe,
  /// Statistics in Medicine 1998), built from the Wilson intervals (l1, u1) and (l2, u2):
  /// low = d - sqrt((p2 - l2)² + (u1 - p1)²), high = d + sqrt((u2 - p2)² + (p1 - l1)²).
  /// Nil when either n is 0.
  public static func newcombe(
    x1: Int, n1: Int, x2: Int, n2: Int, z: Double = z975
  ) -> (low: Double, high: Double)? {
    guard let first = wilson(x: x1, n: n1, z: z), let second = wilson(x: x2, n: n2, z: z) else {
      return nil
    }
    let p1 = Double(x1) / Double(n1)
    let p2 = Double(x2) / Double(n2)
    let difference = p2 - p1
    let below = ((p2 - second.low) * (p2 - second.low) + (first.high - p1) * (first.high - p1))
    let above = ((second.high - p2) * (second.high - p2) + (p1 - first.low) * (p1 - first.low))
    return (difference - below.squareRoot(), difference + above.squareRoot())
  }

  /// Which of `pValues` the Benjamini-Hochberg procedure rejects at false discovery rate
  /// `q`: with the p-values sorted ascending as p(1) ≤ … ≤ p(m), the largest k with
  /// p(k) ≤ k q / m, and every test ranked at most k. Results are in input order.
  public static func benjaminiHochberg(_ pValues: [Double], q: Double = 0.05) -> [Bool] {
    let count = pValues.count
    let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
    var cutoff = 0
    for (rank, index) in order.enumerated()
    where pValues[index] <= Double(rank + 1) * q / Double(count) {
      cutoff = rank + 1
    }
    var rejected = [Bool](repeating: false, count: count)
    for index in order.prefix(cutoff) { rejected[index] = true }
    return rejected
  }

  /// Whether a test of `x1/n1` against `x2/n2` has too few cases for the normal
  /// approximation: either n is 0, or any of n1 p, n1 (1 - p), n2 p, n2 (1 - p) with the
  /// pooled p is below 5.
  public static func tooSmall(x1: Int, n1: Int, x2: Int, n2: Int) -> Bool {
    guard n1 > 0, n2 > 0 else { return true }
    let pooled = Double(x1 + x2) / Double(n1 + n2)
    let expected = [n1, n2].flatMap { [Double($0) * pooled, Double($0) * (1 - pooled)] }
    return expected.contains { $0 < 5 }
  }
}
