import ClicktrailReport
import Foundation
import Testing

/// The pairing, verdicts and cells of compared tables built by hand.
struct ComparisonTests {
  static let a = ComparisonPeriod(
    from: LocalDate(year: 2026, month: 11, day: 1), to: LocalDate(year: 2026, month: 11, day: 7))
  static let b = ComparisonPeriod(
    from: LocalDate(year: 2026, month: 11, day: 8), to: LocalDate(year: 2026, month: 11, day: 9))

  static func counts(
    _ sends: Int?, _ visits: Int, _ unique: Int, _ clicks: Int, _ conversions: Int
  )
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
    let same = Self.counts(1000, 400, 300, 200, 40)
    let cells = Self.cells(Self.compare([("x", same)], [("x", same)]), "x")
    #expect(cells["cr_p"] == "1")
    #expect(cells["cr_significant"] == "no")
    #expect(cells["sms_ctr_significant"] == "no")
    #expect(cells["visits_change"] == "0")
    #expect(cells["visits_change_pct"] == "0.000000")
    #expect(cells["present"] == "both")
  }

  @Test func perDayCountsUseEachPeriodsLength() {
    let first = Self.counts(700, 70, 63, 35, 7)
    let second = Self.counts(400, 40, 30, 20, 4)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["visits_per_day_a"] == "10.000000")
    #expect(cells["visits_per_day_b"] == "20.000000")
    #expect(cells["visits_per_day_change"] == "10.000000")
    #expect(cells["visits_per_day_change_pct"] == "1.000000")
    #expect(cells["visits_change_pct"] == "-0.428571")
  }

  @Test func rowsInOnePeriodOnly() {
    let some = Self.counts(100, 50, 40, 20, 10)
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
    let some = Self.counts(100, 50, 40, 20, 10)
    let comparison = Self.compare([("x", some), ("y", some)], [])
    #expect(comparison.tables[0].rows.allSatisfy { $0.presence == "only_a" })
    #expect(comparison.tables[0].rows.allSatisfy { $0.tests.allSatisfy { $0.verdict == .onlyA } })
  }

  @Test func smallRowsAreNotTested() {
    let first = Self.counts(1000, 30, 30, 10, 1)
    let second = Self.counts(1000, 30, 30, 12, 2)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["cr_significant"] == "too_small")
    #expect(cells["cr_p"] == "")
    // The score interval is still given.
    #expect(cells["cr_ci_low"] != "")
    #expect(cells["lander_ctr_significant"] == "no")
  }

  @Test func zeroSendsAndZeroCounts() {
    let first = Self.counts(0, 0, 0, 0, 0)
    let second = Self.counts(500, 60, 50, 30, 6)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["sms_ctr_a"] == "")
    #expect(cells["sms_ctr_significant"] == "too_small")
    #expect(cells["sms_ctr_ci_low"] == "")
    #expect(cells["sends_change"] == "500")
    #expect(cells["sends_change_pct"] == "")
    #expect(cells["cr_significant"] == "too_small")
  }

  @Test func unknownSendsAndRatesAboveOneAreNotApplicable() {
    let first = Self.counts(nil, 100, 90, 150, 10)
    let second = Self.counts(nil, 100, 90, 90, 10)
    let cells = Self.cells(Self.compare([("x", first)], [("x", second)]), "x")
    #expect(cells["sms_ctr_significant"] == "not_applicable")
    #expect(cells["lander_ctr_significant"] == "not_applicable")
    #expect(cells["lander_ctr_p"] == "")
    #expect(cells["lander_ctr_a"] == "1.500000")
  }

  /// Two rows tested for cr: p = 0.004677734981047266 (40/100 vs 60/100) and p = 1; BH with
  /// m = 2 keeps the first (0.0047 <= 0.025) and not the second.
  @Test func benjaminiHochbergAcrossRowsOfATable() {
    let a1 = Self.counts(nil, 100, 100, 100, 40)
    let b1 = Self.counts(nil, 100, 100, 100, 60)
    let same = Self.counts(nil, 100, 100, 100, 50)
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

/// The page's list of significant changes.
struct ComparisonPageTests {
  static func inputs() -> ComparisonRunner.Inputs {
    let settings = ReportSettings(timeZone: TimeZone(identifier: "UTC")!, timeZoneName: "UTC")
    let report = ReportRunner.Inputs(paths: ["logs"], settings: settings, outputPath: "out")
    return ComparisonRunner.Inputs(report: report, a: ComparisonTests.a, b: ComparisonTests.b)
  }

  /// cr of x moves by 0.2 (40/100 to 60/100, p = 0.0047) and of y by 0.3 (100/1000 to
  /// 400/1000); BH with m = 2 keeps both, and y's larger change comes first.
  @Test func largestChangeComesFirst() throws {
    let counts = ComparisonTests.counts
    let comparison = ComparisonTests.compare(
      [
        ("x", counts(nil, 100, 100, 100, 40)), ("y", counts(nil, 1000, 1000, 1000, 100)),
      ],
      [
        ("x", counts(nil, 100, 100, 100, 60)), ("y", counts(nil, 1000, 1000, 1000, 400)),
      ])
    let files = ComparisonRunner.files(comparison, inputs: Self.inputs())
    #expect(files.map(\.name) == ["compare-campaigns.csv", "index.html"])
    let html = try #require(files.last?.text)
    let section = try #require(html.components(separatedBy: "<nav>").first)
    let x = try #require(section.range(of: "<td>x</td>"))
    let y = try #require(section.range(of: "<td>y</td>"))
    #expect(y.lowerBound < x.lowerBound)
    #expect(section.contains("<td class=\"num\">0.300000</td>"))
  }

  @Test func noSignificantChangeIsStated() {
    let same = ComparisonTests.counts(nil, 100, 100, 100, 50)
    let comparison = ComparisonTests.compare([("x", same)], [("x", same)])
    let html = ComparisonRunner.files(comparison, inputs: Self.inputs()).last!.text
    #expect(html.contains("None: no tested rate changed significantly."))
  }
}
