import ClicktrailReport
import Testing

/// The statistics of `compare` against values computed apart from Clicktrail, with Python
/// 3, statsmodels 0.15.0 and scipy 1.17.1:
///
///     from statsmodels.stats.proportion import (
///         proportions_ztest, confint_proportions_2indep, proportion_confint)
///     from statsmodels.stats.multitest import multipletests
///     z, p = proportions_ztest([x2, x1], [n2, n1])          # pooled, two-sided
///     lo, hi = confint_proportions_2indep(
///         x2, n2, x1, n1, method='newcomb', compare='diff', alpha=0.05)  # B - A
///     wl, wh = proportion_confint(x1, n1, alpha=0.05, method='wilson')
///     multipletests(ps, alpha=0.05, method='fdr_bh')[0]
///
/// A is x1/n1, B is x2/n2.
struct StatisticsTests {
  struct Case: Sendable, CustomStringConvertible {
    var x1: Int, n1: Int, x2: Int, n2: Int
    var p: Double
    var low: Double, high: Double
    var description: String { "\(x1)/\(n1) vs \(x2)/\(n2)" }
  }

  static let cases: [Case] = [
    Case(
      x1: 45, n1: 500, x2: 70, n2: 520, p: 0.02431250657475961,
      low: 0.005720986469525638, high: 0.08350571063137763),
    Case(
      x1: 120, n1: 1000, x2: 150, n2: 1000, p: 0.04964038686536878,
      low: 1.3782434204051563e-05, high: 0.06000825857012657),
    Case(
      x1: 30, n1: 200, x2: 30, n2: 200, p: 1.0,
      low: -0.07056613866489486, high: 0.07056613866489486),
    Case(
      x1: 5, n1: 60, x2: 20, n2: 80, p: 0.010831507317956181,
      low: 0.03941891115018539, high: 0.28165316985897354),
    Case(
      x1: 0, n1: 100, x2: 3, n2: 100, p: 0.08095194377738094,
      low: -0.011933312904032635, high: 0.08451936429052763),
    Case(
      x1: 716, n1: 5904, x2: 844, n2: 6538, p: 0.18853001326487295,
      low: -0.003847943611025124, high: 0.019435260455292484),
  ]

  @Test(arguments: cases) func pValueMatchesStatsmodels(_ item: Case) throws {
    let p = try #require(
      Statistics.twoProportionPValue(x1: item.x1, n1: item.n1, x2: item.x2, n2: item.n2))
    #expect(abs(p - item.p) < 1e-9)
  }

  @Test(arguments: cases) func newcombeLowMatchesStatsmodels(_ item: Case) throws {
    let interval = try #require(
      Statistics.newcombe(x1: item.x1, n1: item.n1, x2: item.x2, n2: item.n2))
    #expect(abs(interval.low - item.low) < 1e-9)
  }

  @Test(arguments: cases) func newcombeHighMatchesStatsmodels(_ item: Case) throws {
    let interval = try #require(
      Statistics.newcombe(x1: item.x1, n1: item.n1, x2: item.x2, n2: item.n2))
    #expect(abs(interval.high - item.high) < 1e-9)
  }

  /// proportion_confint(45, 500, method='wilson') = (0.06794254788913939, 0.11830941128933345)
  @Test func wilsonMatchesStatsmodels() throws {
    let interval = try #require(Statistics.wilson(x: 45, n: 500))
    #expect(abs(interval.low - 0.06794254788913939) < 1e-9)
    #expect(abs(interval.high - 0.11830941128933345) < 1e-9)
  }

  /// Newcombe (1998), Table II, example (a): 56/70 - 48/80 = 0.2000, method 10 gives
  /// 0.0524 to 0.3339. statsmodels: (0.05243147240236498, 0.33387265403690614), and
  /// proportions_ztest gives p = 0.00804508136819656.
  @Test func newcombePaperExample() throws {
    let interval = try #require(Statistics.newcombe(x1: 48, n1: 80, x2: 56, n2: 70))
    #expect(abs(interval.low - 0.0524) < 5e-5)
    #expect(abs(interval.high - 0.3339) < 5e-5)
    #expect(abs(interval.low - 0.05243147240236498) < 1e-9)
    #expect(abs(interval.high - 0.33387265403690614) < 1e-9)
    let p = try #require(Statistics.twoProportionPValue(x1: 48, n1: 80, x2: 56, n2: 70))
    #expect(abs(p - 0.00804508136819656) < 1e-9)
  }

  /// By hand: 40/100 against 60/100 pools to p = 0.5, so the standard error is
  /// sqrt(0.25 * 0.02) = sqrt(0.005), z = 0.2 / sqrt(0.005) = 2 sqrt 2 and the p-value is
  /// erfc(2) = 0.004677734981047266.
  @Test func handWorkedZTest() throws {
    let p = try #require(Statistics.twoProportionPValue(x1: 40, n1: 100, x2: 60, n2: 100))
    #expect(abs(p - 0.004677734981047266) < 1e-12)
  }

  /// By hand: the Wilson interval of 0/100 is 0 to z²/(n + z²) = 3.841459/103.841459.
  @Test func handWorkedWilsonOfZero() throws {
    let interval = try #require(Statistics.wilson(x: 0, n: 100))
    #expect(interval.low == 0)
    let z2 = Statistics.z975 * Statistics.z975
    #expect(abs(interval.high - z2 / (100 + z2)) < 1e-15)
    #expect(abs(interval.high - 0.03699349820698569) < 1e-9)
  }

  /// multipletests([0.01, 0.04, 0.03, 0.005, 0.20, 0.049], alpha=0.05, method='fdr_bh')
  /// rejects [True, False, False, True, False, False].
  @Test func benjaminiHochbergMatchesStatsmodels() {
    let rejected = Statistics.benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.20, 0.049])
    #expect(rejected == [true, false, false, true, false, false])
  }

  /// multipletests([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216],
  /// alpha=0.05, method='fdr_bh') rejects the first two only.
  @Test func benjaminiHochbergTenTests() {
    let rejected = Statistics.benjaminiHochberg([
      0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216,
    ])
    #expect(rejected == [true, true] + Array(repeating: false, count: 8))
  }

  @Test func benjaminiHochbergOfNothing() {
    #expect(Statistics.benjaminiHochberg([]) == [])
  }

  @Test func zeroTrialsHaveNoTest() {
    #expect(Statistics.twoProportionPValue(x1: 0, n1: 0, x2: 5, n2: 10) == nil)
    #expect(Statistics.newcombe(x1: 0, n1: 10, x2: 0, n2: 0) == nil)
    #expect(Statistics.wilson(x: 0, n: 0) == nil)
  }

  @Test func zeroSuccessesBothPeriodsHaveNoVariance() {
    #expect(Statistics.twoProportionPValue(x1: 0, n1: 50, x2: 0, n2: 80) == nil)
  }

  @Test func tooSmallRule() {
    // Pooled p = 10/200 = 0.05: n p = 5 in each period, not below 5.
    #expect(!Statistics.tooSmall(x1: 4, n1: 100, x2: 6, n2: 100))
    // Pooled p = 9/200: n p = 4.5 < 5.
    #expect(Statistics.tooSmall(x1: 4, n1: 100, x2: 5, n2: 100))
    // n (1 - p) below 5: nearly every trial succeeds.
    #expect(Statistics.tooSmall(x1: 98, n1: 100, x2: 97, n2: 100))
    #expect(Statistics.tooSmall(x1: 0, n1: 0, x2: 50, n2: 100))
  }
}
