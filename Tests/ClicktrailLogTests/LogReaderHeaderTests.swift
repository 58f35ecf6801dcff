import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// The first line of plain and gzip files: empty, or behind a byte-order mark.
@Suite struct LogReaderHeaderTests {
  @Test func emptyFirstLineSaysAHeaderIsExpected() throws {
    let fixture = try LogFixture()
    let path = try fixture.write([0x0A] + LogBytes.clickLines(0..<2), to: "a.tsv")
    let (summary, _) = fixture.read(path)
    #expect(summary.lines == 3)
    #expect(summary.events == 0)
    #expect(summary.problems.map(\.kind) == [.missingHeader])
    #expect(summary.problems.first?.line == 1)
    #expect(
      summary.problems.first?.message
        == "first line is not a log header: the first line is empty, but a header line is "
        + "expected; the other lines are not decoded")
  }

  @Test(arguments: [("plain", false), ("gzip", true)])
  func byteOrderMarkBeforeTheHeaderIsSkipped(_ name: String, compress: Bool) throws {
    let fixture = try LogFixture()
    let text = [0xEF, 0xBB, 0xBF] + LogBytes.clicksText(5)
    let path = try fixture.write(compress ? try LogBytes.systemGzip(text) : text)
    let (summary, records) = fixture.read(path)
    #expect(summary.stream == .clicks)
    #expect(summary.lines == 6)
    #expect(summary.events == 5)
    #expect(records.first == LogBytes.record(0))
    #expect(summary.problems.isEmpty)
  }
}
