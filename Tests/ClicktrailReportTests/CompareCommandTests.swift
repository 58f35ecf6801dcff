import ClicktrailCLI
import Foundation
import Testing

/// `clicktrail compare` on the report fixture: period A is 2026-10-25 in Europe/Berlin,
/// period B 2026-10-26 to 2026-10-27. By hand from the fixture: in A, alpha has the visits
/// v1, v2 and v3 of the visitors vA, vA and vB, the clicks of v1 and v3 and the conversions
/// of v1 and v3 (v3's declined one does not count); beta has v6 and its conversion. In B,
/// alpha has v5 only (v4 is a bot) and no conversion, since v5's postback came after the
/// 7-day window; beta has v7 and its conversion. The sends file has no dates, so both
/// periods have alpha's 160 sends and beta's 0.
struct CompareCommandTests {
  static func compare(
    _ fixture: ReportFixture, a: String = "2026-10-25..2026-10-25",
    b: String = "2026-10-26..2026-10-27", out: String? = nil, extra: [String] = []
  ) -> (status: Int32, console: CapturedConsole) {
    let console = CapturedConsole()
    let arguments =
      [
        "compare", "--a", a, "--b", b, "--tz", "Europe/Berlin", "--catalogue",
        fixture.cataloguePath, "--sends", fixture.sendsPath, "--out", out ?? fixture.outputPath,
      ] + extra + [fixture.root]
    return (ClicktrailCommandLine.run(arguments: arguments, console: console), console)
  }

  @Test func writesExpectedCells() throws {
    let fixture = try ReportFixture()
    let (status, console) = Self.compare(fixture)
    #expect(status == 0, "\(console.error)")
    let alpha = try #require(try fixture.row("compare-campaigns.csv", ["alpha", "sms"]))
    #expect(alpha["present"] == "both")
    #expect(alpha["visits_a"] == "3")
    #expect(alpha["visits_b"] == "1")
    #expect(alpha["visits_change"] == "-2")
    #expect(alpha["visits_change_pct"] == "-0.666667")
    #expect(alpha["visits_per_day_a"] == "3.000000")
    #expect(alpha["visits_per_day_b"] == "0.500000")
    #expect(alpha["unique_visits_a"] == "2")
    #expect(alpha["clicks_a"] == "2")
    #expect(alpha["clicks_b"] == "0")
    #expect(alpha["conversions_a"] == "2")
    #expect(alpha["conversions_b"] == "0")
    #expect(alpha["sends_a"] == "160")
    #expect(alpha["sends_change_pct"] == "0.000000")
    #expect(alpha["sms_ctr_a"] == "0.012500")
    #expect(alpha["sms_ctr_b"] == "0.006250")
    #expect(alpha["sms_ctr_change"] == "-0.006250")
    #expect(alpha["sms_ctr_significant"] == "too_small")
    #expect(alpha["cr_significant"] == "too_small")
    let beta = try #require(try fixture.row("compare-campaigns.csv", ["beta", "ads"]))
    #expect(beta["visits_a"] == "1")
    #expect(beta["visits_b"] == "1")
    // The export has no messages of beta: 0 sends, so sms_ctr is not tested.
    #expect(beta["sends_a"] == "0")
    #expect(beta["sms_ctr_a"] == "")
    #expect(beta["sms_ctr_significant"] == "too_small")
  }

  /// Days become weekdays and hours become hours of the day, so that two periods share
  /// rows. A is Sunday 2026-10-25 and B Monday 2026-10-26 in Berlin.
  @Test func timeTablesPairWeekdaysAndHours() throws {
    let fixture = try ReportFixture()
    #expect(Self.compare(fixture).status == 0)
    let sunday = try #require(try fixture.row("compare-weekdays.csv", ["7 Sunday", "alpha"]))
    #expect(sunday["present"] == "only_a")
    #expect(sunday["visits_a"] == "3")
    #expect(sunday["visits_b"] == "")
    let monday = try #require(try fixture.row("compare-weekdays.csv", ["1 Monday", "alpha"]))
    #expect(monday["present"] == "only_b")
    #expect(monday["cr_significant"] == "only_b")
    // Both 02:00 hours of the day daylight saving time ended hold a visit of period A.
    let two = try #require(try fixture.row("compare-hours-of-day.csv", ["02", "alpha"]))
    #expect(two["visits_a"] == "2")
    #expect(two["unique_visits_a"] == "2")
  }

  @Test func sameInputGivesIdenticalFiles() throws {
    let fixture = try ReportFixture()
    _ = Self.compare(fixture)
    let first = try ReportRunTests.files(in: fixture.outputPath)
    _ = Self.compare(fixture, extra: ["--workers", "1"])
    let second = try ReportRunTests.files(in: fixture.outputPath)
    #expect(first == second)
    #expect(first.keys.contains("index.html"))
    #expect(first.keys.contains("compare-campaigns.csv"))
  }

  @Test func pageStatesTheMethodAndOverlap() throws {
    let fixture = try ReportFixture()
    let (status, console) = Self.compare(
      fixture, a: "2026-10-25..2026-10-26", b: "2026-10-26..2026-10-27")
    #expect(status == 0)
    #expect(console.error.contains("overlap"))
    let html = try String(contentsOfFile: fixture.outputPath + "/index.html", encoding: .utf8)
    #expect(html.contains("The periods overlap"))
    #expect(html.contains("Newcombe"))
    #expect(html.contains("Benjamini-Hochberg at q = 0.05"))
    #expect(html.contains("<h2>Significant changes</h2>"))
  }

  @Test(arguments: [
    ["--a", "2026-10-25"], ["--a", "2026-10-26..2026-10-25"], ["--a", "2026-13-01..2026-13-02"],
    ["--tz", "Mars/Olympus"], ["--conversion-day", "never"],
  ])
  func badOptionsAreUsageErrors(_ bad: [String]) throws {
    let fixture = try ReportFixture()
    let console = CapturedConsole()
    var options = [
      "--a": "2026-10-25..2026-10-25", "--b": "2026-10-26..2026-10-27", "--tz": "UTC",
      "--out": fixture.outputPath,
    ]
    options[bad[0]] = bad[1]
    let arguments = ["compare"] + options.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    let status = ClicktrailCommandLine.run(arguments: arguments + [fixture.root], console: console)
    #expect(status == 64)
    #expect(!FileManager.default.fileExists(atPath: fixture.outputPath))
  }

  @Test func missingPeriodAndUnwritableOutAreUsageErrors() throws {
    let fixture = try ReportFixture()
    let console = CapturedConsole()
    let missing = ClicktrailCommandLine.run(
      arguments: ["compare", "--a", "2026-10-25..2026-10-25", fixture.root], console: console)
    #expect(missing == 64)
    #expect(console.error.contains("missing --b"))
    let out = fixture.outputPath + "/no/such/folder"
    #expect(Self.compare(fixture, out: out).status == 64)
  }
}
