import ClicktrailCLI
import ClicktrailLog
import ClicktrailSupport
import ClicktrailTestSupport
import Foundation
import Testing

@Suite struct VerifyCommandTests {
  /// The totals of `verify --json`, decoded.
  struct Totals: Decodable, Equatable {
    var files: Int
    var members: Int
    var lines: Int
    var events: Int
    var problems: Int
  }

  struct FileEntry: Decodable {
    var path: String
    var members: Int
    var lines: Int
    var events: Int
    var problems: Int
    var eventsByType: [String: Int]
    var problemList: [LogProblem]
    var problemsOmitted: Int
  }

  struct Document: Decodable {
    var totals: Totals
    var members: Int
    var lines: Int
    var events: Int
    var problems: Int
    var files: [FileEntry]
  }

  static func verifyJSON(_ arguments: [String]) throws -> (status: Int32, document: Document) {
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["verify", "--json"] + arguments, console: console)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return (status, try decoder.decode(Document.self, from: Data(console.output.utf8)))
  }

  @Test func countsWriterLogsExactly() throws {
    let fixture = try LogFixture()
    let root = fixture.directory.path
    let start: Int64 = 1_764_806_400_000  // 2025-12-04T00:00:00Z
    let clock = ManualWallClock(milliseconds: start)
    var configuration = LogWriterConfiguration()
    configuration.clock = clock
    configuration.maxMemberBytes = 4096
    configuration.flushInterval = .seconds(3600)
    configuration.logger = Logger(label: "test", output: CapturingLogOutput())
    let log = EventLog(root: root, configuration: configuration)
    let kinds: [ClickEvent.Kind] = [.visit, .visit, .click, .preview]
    for index in 0..<1000 {
      // 1000 clicks over two UTC hours: 500 in each.
      let timestamp = start + Int64(index) * 7200
      log.append(
        ClickEvent(
          timestamp: timestamp, kind: kinds[index % 4], clickID: "id\(index)", campaign: "c",
          userAgent: "tab\there"))
    }
    for index in 0..<30 {
      let accepted = index % 3 != 0
      log.append(
        PostbackEvent(
          timestamp: start + Int64(index) * 1000, clickID: "id\(index)",
          status: accepted ? .approved : nil, payout: Money(micros: 1_000_000),
          accepted: accepted, rejectReason: accepted ? "" : "bad_signature"))
    }
    log.close()
    let statistics = log.statistics

    let (status, document) = try Self.verifyJSON([root])
    #expect(status == 0)
    #expect(document.totals.files == 3)
    #expect(document.totals.files == statistics.filesOpened)
    #expect(document.totals.members == statistics.membersWritten)
    #expect(document.totals.events == 1030)
    #expect(document.totals.lines == 1033)
    #expect(document.totals.problems == 0)
    #expect(document.members == document.totals.members)
    let byType = document.files.reduce(into: [String: Int]()) { total, file in
      total.merge(file.eventsByType, uniquingKeysWith: +)
    }
    #expect(byType == ["visit": 500, "click": 250, "preview": 250, "accepted": 20, "rejected": 10])
  }

  /// A damaged file: how it is made, then the counts and problem kinds `verify` must report.
  struct DamageCase: CustomTestStringConvertible, Sendable {
    let name: String
    let make: @Sendable () throws -> [UInt8]
    let members: Int
    let lines: Int
    let events: Int
    let problemKinds: [LogProblem.Kind]
    let problemLines: [Int?]

    var testDescription: String { name }
  }

  static let damageCases: [DamageCase] = [
    DamageCase(
      name: "truncated last member",
      make: {
        let file = LogBytes.clicksFile(members: 3, perMember: 10)
        return Array(file.bytes[..<(file.ranges[2].lowerBound + 30)])
      }, members: 3, lines: 21, events: 20, problemKinds: [.truncatedMember], problemLines: [nil]),
    DamageCase(
      name: "corrupt middle member",
      make: {
        var file = LogBytes.clicksFile(members: 3, perMember: 10)
        file.bytes[file.ranges[1].upperBound - 6] ^= 0xFF
        return file.bytes
      }, members: 3, lines: 21, events: 20, problemKinds: [.corruptMember], problemLines: [nil]),
    DamageCase(
      name: "trailing zeros",
      make: {
        LogBytes.clicksFile(members: 2, perMember: 5).bytes + [UInt8](repeating: 0, count: 512)
      },
      members: 2, lines: 11, events: 10, problemKinds: [.trailingZeros], problemLines: [nil]),
    DamageCase(
      name: "trailing garbage",
      make: { LogBytes.clicksFile(members: 2, perMember: 5).bytes + Array("garbage!".utf8) },
      members: 2, lines: 11, events: 10, problemKinds: [.trailingGarbage], problemLines: [nil]),
    DamageCase(
      name: "empty file", make: { [] }, members: 0, lines: 0, events: 0,
      problemKinds: [.emptyFile], problemLines: [nil]),
    DamageCase(
      name: "empty member",
      make: {
        LogBytes.member(LogBytes.clicksText(4)) + LogBytes.member([])
          + LogBytes.member(LogBytes.clickLines(4..<6))
      }, members: 3, lines: 7, events: 6, problemKinds: [], problemLines: []),
    DamageCase(
      name: "uncompressed file", make: { LogBytes.clicksText(5) }, members: 0, lines: 6,
      events: 5, problemKinds: [], problemLines: []),
    DamageCase(
      name: "CRLF line ends",
      make: {
        let text = String(decoding: LogBytes.clicksText(3), as: UTF8.self)
        return LogBytes.member(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
      }, members: 1, lines: 4, events: 3, problemKinds: [], problemLines: []),
    DamageCase(
      name: "invalid UTF-8",
      make: {
        var text = LogBytes.clicksText(2)
        text.removeLast()  // the last line's LF, to append bytes to its referrer
        return LogBytes.member(text + [0xC3, 0x28, 0x0A] + LogBytes.clickLine(2))
      }, members: 1, lines: 4, events: 3, problemKinds: [.invalidUTF8], problemLines: [3]),
    DamageCase(
      name: "wrong column count",
      make: {
        LogBytes.member(
          LogBytes.clicksText(2) + Array("1\tvisit\tonly-three\n".utf8)
            + LogBytes.clickLine(3))
      }, members: 1, lines: 5, events: 3, problemKinds: [.rejectedLine], problemLines: [4]),
    DamageCase(
      name: "over-long line",
      make: {
        let long = [UInt8](repeating: 0x61, count: LogFormat.maxLineBytes + 10) + [0x0A]
        return LogBytes.member(LogBytes.clicksText(1) + long + LogBytes.clickLine(2))
      }, members: 1, lines: 4, events: 2, problemKinds: [.overlongLine], problemLines: [3]),
  ]

  @Test(arguments: damageCases)
  func reportsDamageExactly(damage: DamageCase) throws {
    let fixture = try LogFixture()
    let path = try fixture.write(try damage.make())
    let (status, document) = try Self.verifyJSON([path])
    #expect(status == (damage.problemKinds.isEmpty ? 0 : 2))
    #expect(document.totals.files == 1)
    #expect(document.totals.members == damage.members)
    #expect(document.totals.lines == damage.lines)
    #expect(document.totals.events == damage.events)
    #expect(document.totals.problems == damage.problemKinds.count)
    let problems = document.files.first?.problemList ?? []
    #expect(problems.map(\.kind) == damage.problemKinds)
    #expect(problems.map(\.line) == damage.problemLines)
  }

  @Test func textOutputNamesEachProblem() throws {
    let fixture = try LogFixture()
    let path = try fixture.write(
      LogBytes.member(LogBytes.clicksText(2) + Array("1\tvisit\tx\n".utf8)), to: "bad.tsv.gz")
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(arguments: ["verify", path], console: console)
    #expect(status == 2)
    #expect(console.output.contains("\(path):4: warning: expected 12 columns, found 3\n"))
    #expect(
      console.output.hasSuffix(
        "Summary: 1 file, 1 member, 4 lines, 2 events, 1 problem in 1 file.\n"))
  }

  @Test func manyProblemsAreCappedButCounted() throws {
    let fixture = try LogFixture()
    let bad = Array(Array(repeating: Array("x\n".utf8), count: 1_200).joined())
    let path = try fixture.write(LogBytes.member(LogBytes.clicksText(1) + bad))
    let (status, document) = try Self.verifyJSON([path])
    #expect(status == 2)
    #expect(document.problems == 1_200)
    #expect(document.totals.problems == 1_200)
    #expect(document.files.first?.problems == 1_200)
    #expect(document.files.first?.problemList.count == 1_000)
    #expect(document.files.first?.problemsOmitted == 200)
    let console = CapturedConsole()
    _ = ClicktrailCommandLine.run(arguments: ["verify", path], console: console)
    #expect(console.output.contains("\(path): warning: 200 more problems not listed"))
    #expect(console.output.hasSuffix("1202 lines, 1 event, 1200 problems in 1 file.\n"))
  }

  @Test func unreadableFileIsDescribedAsUnreadable() throws {
    let fixture = try LogFixture()
    let path = fixture.directory.path + "/pipe.tsv.gz"
    #expect(mkfifo(path, 0o644) == 0)
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(arguments: ["verify", path], console: console)
    #expect(status == 2)
    #expect(console.output.hasPrefix("\(path): unreadable, 0 lines read, 0 events\n"))
    #expect(console.output.contains("\(path): warning: cannot read the file: not a regular file"))
  }

  @Test func missingPathFails() throws {
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["verify", "/nonexistent/clicktrail-logs"], console: console)
    #expect(status == 1)
    #expect(console.error.hasPrefix("error: "))
    #expect(console.error.contains("/nonexistent/clicktrail-logs"))
  }

  @Test(arguments: [["verify"], ["verify", "--workers", "0", "x"], ["verify", "--bogus", "x"]])
  func usageErrorExits64(arguments: [String]) {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: arguments, console: console) == 64)
    #expect(console.error.contains("See 'clicktrail verify --help'."))
  }

  @Test func helpListsOptions() {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["verify", "--help"], console: console) == 0)
    #expect(console.output.hasPrefix("Usage: clicktrail verify"))
    #expect(console.output.contains("--json"))
    #expect(console.output.contains("--workers N"))
  }
}
