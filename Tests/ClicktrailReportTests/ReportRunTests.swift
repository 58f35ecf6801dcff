import ClicktrailCLI
import ClicktrailLog
import ClicktrailReport
import ClicktrailTestSupport
import Foundation
import Testing

@Suite struct ReportRunTests {
  static func files(in folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
      files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }
    return files
  }

  @Test func sameInputGivesIdenticalFiles() throws {
    let fixture = try ReportFixture()
    _ = fixture.report()
    let first = try Self.files(in: fixture.outputPath)
    _ = fixture.report(["--workers", "1"])
    let second = try Self.files(in: fixture.outputPath)
    #expect(first.keys.sorted() == second.keys.sorted())
    #expect(first == second)
    #expect(first.keys.contains("index.html"))
    #expect(first.keys.contains("summary.json"))
  }

  @Test func damagedLogIsReportedWithExit2() throws {
    let fixture = try ReportFixture()
    let damaged = LogBytes.member(LogBytes.clicksText(2) + Array("1\tvisit\tonly-three\n".utf8))
    try fixture.fixture.write(damaged, to: "logs/extra/damaged.tsv.gz")
    let (status, console) = fixture.report()
    #expect(status == 2)
    #expect(console.error.contains("damaged.tsv.gz:4: warning: expected 12 columns, found 3"))
    #expect(console.error.contains("1 damaged files"))
    #expect(FileManager.default.fileExists(atPath: fixture.outputPath + "/campaigns.csv"))
  }

  @Test func emptyInputGivesEmptyReport() throws {
    let fixture = try LogFixture()
    try fixture.write(LogBytes.member(LogBytes.clicksText(0)), to: "logs/empty.tsv.gz")
    let out = fixture.directory.appendingPathComponent("report").path
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["report", "--out", out, fixture.directory.path + "/logs"], console: console)
    #expect(status == 0)
    let campaigns = try String(contentsOfFile: out + "/campaigns.csv", encoding: .utf8)
    #expect(campaigns.hasPrefix("campaign,source,sends,visits,"))
    #expect(campaigns.components(separatedBy: "\r\n").count == 2)
    #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
  }

  @Test func hostileValuesAreNeutralisedAndEscaped() throws {
    let hostile = ReportFixture.visit(
      "h1", "2026-10-25T09:00",
      params: "gender=%3Dcmd%7C%27%2FC%20calc%27%21A0&age=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
      visitor: "vH", agent: "<img src=x onerror=alert(1)>")
    let fixture = try ReportFixture(extraClicks: [hostile])
    #expect(fixture.report().status == 0)
    let gender = try String(
      contentsOfFile: fixture.outputPath + "/param-gender.csv", encoding: .utf8)
    #expect(gender.contains("alpha,'=cmd|'/C calc'!A0,"))
    let html = try String(contentsOfFile: fixture.outputPath + "/index.html", encoding: .utf8)
    #expect(!html.contains("<script>alert(1)</script>"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(!html.contains("<img src=x"))
    let scripts = html.components(separatedBy: "<script>").count - 1
    #expect(scripts == 1)
  }

  @Test func failedRunKeepsPreviousReport() throws {
    let fixture = try ReportFixture()
    #expect(fixture.report().status == 0)
    let before = try Self.files(in: fixture.outputPath)
    try fixture.fixture.write(Array("{ not json".utf8), to: "catalogue.json")
    let (status, console) = fixture.report()
    #expect(status == 1)
    #expect(console.error.contains("error: the catalogue"))
    #expect(try Self.files(in: fixture.outputPath) == before)
  }

  @Test(arguments: [
    (
      ["--from", "2026-10-26", "--to", "2026-10-25"], "--to 2026-10-25 is before --from 2026-10-26"
    ),
    (["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["--from", "2026-13-01"], "invalid --from '2026-13-01'"),
    (["--out", "/nonexistent-folder/report"], "the folder /nonexistent-folder does not exist"),
    (["--conversion-day", "later"], "invalid --conversion-day 'later'"),
    (["--by", "gender,gender"], "invalid --by 'gender,gender'"),
  ])
  func invalidOptionsExit64BeforeReading(arguments: [String], message: String) {
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["report"] + arguments + ["/nonexistent-logs"], console: console)
    #expect(status == 64)
    #expect(console.error.contains(message))
  }
}

@Suite struct ReportOutputSafetyTests {
  @Test func foreignFolderIsNotReplaced() throws {
    let fixture = try ReportFixture()
    try fixture.fixture.write(Array("keep me\n".utf8), to: "mine/notes.txt")
    let out = fixture.fixture.directory.appendingPathComponent("mine").path
    let (status, console) = fixture.report(out: out)
    #expect(status == 64)
    #expect(
      console.error.contains("it holds 'notes.txt', which this command did not write"))
    #expect(FileManager.default.fileExists(atPath: out + "/notes.txt"))
  }

  @Test func inputFolderIsNotReplaced() throws {
    let fixture = try ReportFixture()
    let (status, console) = fixture.report(out: fixture.root)
    #expect(status == 64)
    #expect(console.error.contains("overlaps the input"))
    #expect(FileManager.default.fileExists(atPath: fixture.root + "/clicks"))
  }

  @Test func earlierReportIsReplaced() throws {
    let fixture = try ReportFixture()
    #expect(fixture.report().status == 0)
    #expect(fixture.report().status == 0)
  }
}
