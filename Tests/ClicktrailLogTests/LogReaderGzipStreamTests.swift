import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// Gzip files without `CT` subfields resynchronise at the next valid member header.
@Suite struct LogReaderGzipStreamTests {
  /// Returns three members made by the system's gzip, the header heading the first, with
  /// 10 lines each.
  static func members() throws -> [[UInt8]] {
    [
      try LogBytes.systemGzip(LogBytes.clicksText(10)),
      try LogBytes.systemGzip(LogBytes.clickLines(10..<20)),
      try LogBytes.systemGzip(LogBytes.clickLines(20..<30)),
    ]
  }

  @Test func zerosBetweenMembersAreSkipped() throws {
    let fixture = try LogFixture()
    let parts = try Self.members()
    let zeros = [UInt8](repeating: 0, count: 100)
    let (summary, records) = fixture.read(
      try fixture.write(parts[0] + zeros + parts[1] + parts[2]))
    #expect(summary.members == 3)
    #expect(summary.lines == 31)
    #expect(summary.events == 30)
    #expect(records.last == LogBytes.record(29))
    #expect(summary.problems.map(\.kind) == [.zeroPadding])
    #expect(summary.problems.first?.startOffset == parts[0].count)
    #expect(summary.problems.first?.endOffset == parts[0].count + 100)
  }

  @Test func damagedMemberHeaderIsSkipped() throws {
    let fixture = try LogFixture()
    var parts = try Self.members()
    parts[1][0] ^= 0xFF
    let (summary, records) = fixture.read(try fixture.write(parts.flatMap { $0 }))
    #expect(summary.members == 3)
    #expect(summary.lines == 21)
    #expect(summary.events == 20)
    #expect(records.last == LogBytes.record(29))
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.member == 1)
    #expect(summary.problems.first?.startOffset == parts[0].count)
    #expect(summary.problems.first?.endOffset == parts[0].count + parts[1].count)
  }

  @Test func junkBeforeTheFirstMemberIsSkipped() throws {
    let fixture = try LogFixture()
    let parts = try Self.members()
    let junk = Array("junk!\u{1}\u{2}\u{3}".utf8)
    let (summary, _) = fixture.read(try fixture.write(junk + parts[0] + parts[1]))
    #expect(summary.compressed)
    #expect(summary.members == 2)
    #expect(summary.lines == 21)
    #expect(summary.events == 20)
    #expect(summary.problems.map(\.kind) == [.leadingGarbage])
    #expect(summary.problems.first?.startOffset == 0)
    #expect(summary.problems.first?.endOffset == junk.count)
  }
}
