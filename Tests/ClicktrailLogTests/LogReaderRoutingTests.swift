import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// Events are checked against the stream and UTC hour that the file name routes them to.
@Suite struct LogReaderRoutingTests {
  /// The name of a clicks file for 2025-12-04T00, the hour of `LogBytes.clickLine`.
  static let clicksName = "clicks/2025-12-04/clicks-2025-12-04T00-edge-1-000.tsv.gz"

  static func clickLine(at timestamp: Int64) -> [UInt8] {
    var line: [UInt8] = []
    LogLineEncoder.append(
      ClickEvent(timestamp: timestamp, kind: .visit, clickID: "late", campaign: "c"), to: &line)
    return line
  }

  @Test func eventsOutsideTheHourAreReportedOnce() throws {
    let fixture = try LogFixture()
    let hourEnd: Int64 = 1_764_806_400_000 + 3_600_000
    let text =
      LogBytes.clicksText(3) + Self.clickLine(at: hourEnd) + LogBytes.clickLines(3..<4)
      + Self.clickLine(at: hourEnd - 7_200_000)
    let path = try fixture.write(LogBytes.member(text), to: Self.clicksName)
    let (summary, records) = fixture.read(path)
    #expect(summary.events == 6)
    #expect(records.count == 6)
    #expect(summary.problems.map(\.kind) == [.misroutedEvents])
    let problem = try #require(summary.problems.first)
    #expect(problem.line == 5)
    #expect(problem.message.hasPrefix("2 events have a ts outside the hour of the file name"))
    #expect(problem.message.contains("2025-12-04T00 UTC"))
  }

  @Test func eventsInsideTheHourPass() throws {
    let fixture = try LogFixture()
    let text = LogBytes.clicksText(0) + Self.clickLine(at: 1_764_806_400_000 + 3_599_999)
    let path = try fixture.write(LogBytes.member(text), to: Self.clicksName)
    let (summary, _) = fixture.read(path)
    #expect(summary.events == 1)
    #expect(summary.problems.isEmpty)
  }

  @Test func streamOfTheNameMustMatchTheContent() throws {
    let fixture = try LogFixture()
    let name = "postbacks-2025-12-04T00-edge-1-000.tsv.gz"
    let path = try fixture.write(LogBytes.clicksFile(members: 1, perMember: 2).bytes, to: name)
    let (summary, _) = fixture.read(path)
    #expect(summary.stream == .clicks)
    #expect(summary.events == 2)
    #expect(summary.problems.map(\.kind) == [.streamMismatch])
    #expect(summary.problems.first?.message.contains("'postbacks' stream") == true)
  }
}
