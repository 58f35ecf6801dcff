import ClicktrailCLI
import ClicktrailTestSupport
import Foundation
import Testing

/// Date ranges over SampleLogs/. The expected sends and costs were computed apart from the
/// report, with Python's csv and datetime modules over gateway-export.csv.gz: delivered
/// messages whose SentDate falls on 2026-11-05 or 2026-11-06 in Asia/Kolkata (UTC+05:30).
@Suite(.enabled(if: RepositoryRoot.canCheckReports, "SampleLogs/ not found"))
struct ReportRangeTests {
  /// Runs the report into a temporary folder, which lives as long as the returned fixture.
  static func run(
    _ arguments: [String]
  ) throws -> (fixture: LogFixture, status: Int32, out: String, error: String) {
    let fixture = try LogFixture()
    let out = fixture.directory.appendingPathComponent("report").path
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["report", RepositoryRoot.path + "/SampleLogs", "--out", out] + arguments,
      console: console)
    return (fixture, status, out, console.error)
  }

  static func rows(_ path: String) throws -> [[String]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  @Test func sendsAreLimitedToTheRange() throws {
    let (fixture, status, out, _) = try Self.run([
      "--from", "2026-11-05", "--to", "2026-11-06", "--tz", "Asia/Kolkata",
    ])
    #expect(status == 0)
    let rows = try Self.rows(out + "/campaigns.csv")
    _ = fixture
    let header = rows[0]
    func value(_ campaign: String, _ column: String) -> String? {
      rows.first { $0[0] == campaign }.map { $0[header.firstIndex(of: column)!] }
    }
    #expect(value("flash", "sends") == "1948")
    #expect(value("flash", "cost") == "30.7784")
    #expect(value("winter", "sends") == "1945")
    #expect(value("winter", "cost") == "15.3655")
  }

  @Test func visitsBeforeTheRangeAreNotOrphans() throws {
    let (wholeFixture, _, whole, _) = try Self.run([])
    let (rangedFixture, _, ranged, _) = try Self.run([
      "--from", "2026-11-05", "--to", "2026-11-06", "--tz", "Asia/Kolkata",
    ])
    let orphansWhole = try Self.rows(whole + "/postback-problems.csv").filter { $0[1] == "orphan" }
    let orphansRanged = try Self.rows(ranged + "/postback-problems.csv").filter {
      $0[1] == "orphan"
    }
    let known = Set(orphansWhole.map { $0[2] })
    // Every orphan of a range is an orphan of the whole period too.
    #expect(orphansRanged.allSatisfy { known.contains($0[2]) })
    withExtendedLifetime((wholeFixture, rangedFixture)) {}
  }

  @Test func withoutCatalogueEachCampaignHasOneRow() throws {
    let fixture = try LogFixture()
    let out = fixture.directory.appendingPathComponent("report").path
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["report", RepositoryRoot.path + "/SampleLogs/logs", "--out", out],
      console: console)
    #expect(status == 0)
    let rows = try Self.rows(out + "/campaigns.csv").dropFirst()
    #expect(rows.map { Array($0.prefix(2)) } == [["flash", "smsgw"], ["winter", "smsgw"]])
  }

  @Test func unknownByParameterIsUsageError() throws {
    let (_, status, _, error) = try Self.run(["--by", "gender,nosuch"])
    #expect(status == 64)
    #expect(error.contains("'nosuch' is not a parameter of any traffic source"))
  }

  /// A range ending late in year 9999 reaches year 10000 when the attribution window is
  /// added; every file of SampleLogs/ must still be read.
  @Test func rangeEndingInYear9999ReadsEveryFile() throws {
    let (fixture, status, _, error) = try Self.run(["--from", "2026-11-02", "--to", "9999-12-30"])
    #expect(status == 0)
    #expect(error.contains("report: 558 files"))
    withExtendedLifetime(fixture) {}
  }

  @Test func compareRefusesReportFolder() throws {
    let (fixture, status, out, _) = try Self.run([])
    #expect(status == 0)
    let console = CapturedConsole()
    let compareStatus = ClicktrailCommandLine.run(
      arguments: [
        "compare", "--a", "2026-11-02..2026-11-08", "--b", "2026-11-09..2026-11-15", "--out", out,
        RepositoryRoot.path + "/SampleLogs",
      ], console: console)
    #expect(compareStatus == 64)
    #expect(FileManager.default.fileExists(atPath: out + "/summary.json"))
    withExtendedLifetime(fixture) {}
  }
}
