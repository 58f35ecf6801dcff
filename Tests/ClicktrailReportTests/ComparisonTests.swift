import ClicktrailReport
import Testing

/// The pairing, verdicts and cells of compared tables built by hand.
struct ComparisonTests {
  static let a = ComparisonPeriod(
    from: LocalDate(year: 2026, month: 11, day: 1), to: LocalDate(year: 2026, month: 11, day: 7))
  static let b = ComparisonPeriod(
    from: LocalDate(year: 2026, month: 11, day: 8), to: LocalDate(year: 2026, month: 11, day: 9))

  static func counts(sends: Int?, visits: Int, unique: Int, clicks: Int, conversions: Int)
    -> MetricCounts
  {
    var counts = MetricCounts()
    counts.sends = sends
    counts.visits = visits
    counts.uniqueVisits = unique
    counts.clicks = clicks
    counts.conversionsByStatus = [conversions, 0, 0]
    return counts
  }

  static func table(_ rows: [(String, MetricCounts)]) -> [ReportTable] {
    [
      ReportTable(
        name: "campaigns", title: "Campaigns", dimensions: ["campaign"],
        rows: rows.map { (keys: [$0.0], counts: $0.1) })
    ]
  }

  static func compare(_ rowsA: [(String, MetricCounts)], _ rowsB: [(String, MetricCounts)])
    -> Comparison
  {
    Comparison(a: a, b: b, tablesA: table(rowsA), tablesB: table(rowsB))
  }

  /// The cells of the row `key` by column name.
  static func cells(_ comparison: Comparison, _ key: String) -> [String: String] {
    let table = comparison.tables[0]
    let row = table.rows.first { $0.keys == [key] }!
    let names = ComparisonCells.header(table)
    return Dictionary(
      uniqueKeysWithValues: zip(names, row.keys + ComparisonCells.values(row, in: comparison)))
  }

  @Test func identicalPeriodsAreNotSignificant() {
    let same = Self.counts(sends: 1000, visits: 400, unique: 300, clicks: 200, conversions: 40)
    let cells = Self.cells(Self.compare([("x", same)], [("x", same)]), "x")
    #expect(cells["cr_p"] == "1")
    #expect(cells["cr_significant"] == "no")
    #expect(cells["sms_ctr_significant"] == "no")
    #expect(cells["visits_change"] == "0")
    #expect(cells["visits_change_pct"] == "0.000000")
    #expect(cells["present"] == "both")
  }

  @Test func perDayCountsUseEachPeriodsLength() {
    let first = Self.counts(sends: 700, visits: 70, unique: 63, clicks: 35, conversions: 7)
    let second = Self.counts(sends: 400, visits: 40, unique: 30, clicks: 20, conversions: 4)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["visits_per_day_a"] == "10.000000")
    #expect(cells["visits_per_day_b"] == "20.000000")
    #expect(cells["visits_per_day_change"] == "10.000000")
    #expect(cells["visits_per_day_change_pct"] == "1.000000")
    #expect(cells["visits_change_pct"] == "-0.428571")
  }

  @Test func rowsInOnePeriodOnly() {
    let some = Self.counts(sends: 100, visits: 50, unique: 40, clicks: 20, conversions: 10)
    let comparison = Self.compare([("old", some)], [("new", some)])
    let old = Self.cells(comparison, "old")
    let new = Self.cells(comparison, "new")
    #expect(old["present"] == "only_a")
    #expect(old["visits_a"] == "50")
    #expect(old["visits_b"] == "")
    #expect(old["visits_change"] == "")
    #expect(old["cr_significant"] == "only_a")
    #expect(old["cr_p"] == "")
    #expect(new["present"] == "only_b")
    #expect(new["visits_a"] == "")
    #expect(new["cr_significant"] == "only_b")
    #expect(comparison.tables[0].rows.map(\.keys) == [["old"], ["new"]])
  }

  @Test func emptyPeriodMakesEveryRowOnlyA() {
    let some = Self.counts(sends: 100, visits: 50, unique: 40, clicks: 20, conversions: 10)
    let comparison = Self.compare([("x", some), ("y", some)], [])
    #expect(comparison.tables[0].rows.allSatisfy { $0.presence == "only_a" })
    #expect(comparison.tables[0].rows.allSatisfy { $0.tests.allSatisfy { $0.verdict == .onlyA } })
  }

  @Test func smallRowsAreNotTested() {
    let first = Self.counts(sends: 1000, visits: 30, unique: 30, clicks: 10, conversions: 1)
    let second = Self.counts(sends: 1000, visits: 30, unique: 30, clicks: 12, conversions: 2)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["cr_significant"] == "too_small")
    #expect(cells["cr_p"] == "")
    // The score interval is still given.
    #expect(cells["cr_ci_low"] != "")
    #expect(cells["lander_ctr_significant"] == "no")
  }

  @Test func zeroSendsAndZeroCounts() {
    let first = Self.counts(sends: 0, visits: 0, unique: 0, clicks: 0, conversions: 0)
    let second = Self.counts(sends: 500, visits: 60, unique: 50, clicks: 30, conversions: 6)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["sms_ctr_a"] == "")
    #expect(cells["sms_ctr_significant"] == "too_small")
    #expect(cells["sms_ctr_ci_low"] == "")
    #expect(cells["sends_change"] == "500")
    #expect(cells["sends_change_pct"] == "")
    #expect(cells["cr_significant"] == "too_small")
  }

  @Test func unknownSendsAndRatesAboveOneAreNotApplicable() {
    let first = Self.counts(sends: nil, visits: 100, unique: 90, clicks: 150, conversions: 10)
    let second = Self.counts(sends: nil, visits: 100, unique: 90, clicks: 90, conversions: 10)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["sms_ctr_significant"] == "not_applicable")
    #expect(cells["lander_ctr_significant"] == "not_applicable")
    #expect(cells["lander_ctr_p"] == "")
    #expect(cells["lander_ctr_a"] == "1.500000")
  }

  /// Two rows tested for cr: p = 0.004677734981047266 (40/100 vs 60/100) and p = 1; BH with
  /// m = 2 keeps the first (0.0047 <= 0.025) and not the second.
  @Test func benjaminiHochbergAcrossRowsOfATable() {
    let a1 = Self.counts(sends: nil, visits: 100, unique: 100, clicks: 100, conversions: 40)
    let b1 = Self.counts(sends: nil, visits: 100, unique: 100, clicks: 100, conversions: 60)
    let same = Self.counts(sends: nil, visits: 100, unique: 100, clicks: 100, conversions: 50)
    let comparison = Self.compare([("x", a1), ("y", same)], [("x", b1), ("y", same)])
    #expect(Self.cells(comparison, "x")["cr_significant"] == "yes")
    #expect(Self.cells(comparison, "x")["cr_p"] == "0.00467773")
    #expect(Self.cells(comparison, "x")["cr_change"] == "0.200000")
    #expect(Self.cells(comparison, "y")["cr_significant"] == "no")
  }

  @Test func overlapIsDetected() {
    let c = ComparisonPeriod(
      from: LocalDate(year: 2026, month: 11, day: 7), to: LocalDate(year: 2026, month: 11, day: 8))
    #expect(Self.a.overlaps(c))
    #expect(!Self.a.overlaps(Self.b))
    #expect(Self.a.days == 7)
  }
}
