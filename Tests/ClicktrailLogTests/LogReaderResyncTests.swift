import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// Damage near the start of a file, or in a member header, loses only the damaged bytes.
@Suite struct LogReaderResyncTests {
  /// A change to a four-member clicks file (10 lines each, the header heading member 0) and
  /// what the reader must report.
  struct Damage: CustomTestStringConvertible, Sendable {
    let name: String
    /// Changes the file, given the members' byte ranges.
    let apply: @Sendable ([UInt8], [Range<Int>]) -> [UInt8]
    let members: Int
    let events: Int
    let kind: LogProblem.Kind
    /// The damaged member, if the problem names one.
    let member: Int?
    /// The reported byte range, given the members' ranges.
    let range: @Sendable ([Range<Int>]) -> Range<Int>
    /// The first record read.
    let firstRecord: Int
    var testDescription: String { name }
  }

  static func flip(_ offset: @escaping @Sendable ([Range<Int>]) -> Int)
    -> @Sendable (
      [UInt8], [Range<Int>]
    ) -> [UInt8]
  {
    { bytes, ranges in
      var bytes = bytes
      bytes[offset(ranges)] ^= 0xFF
      return bytes
    }
  }

  static let damages: [Damage] = [
    Damage(
      name: "zeros before the first member",
      apply: { bytes, _ in [UInt8](repeating: 0, count: 512) + bytes },
      members: 4, events: 40, kind: .leadingGarbage, member: nil, range: { _ in 0..<512 },
      firstRecord: 0),
    Damage(
      name: "first byte of the file", apply: flip { _ in 0 }, members: 3, events: 30,
      kind: .leadingGarbage, member: nil, range: { 0..<$0[0].upperBound }, firstRecord: 10),
    Damage(
      name: "compression method of member 0", apply: flip { _ in 2 }, members: 4, events: 30,
      kind: .corruptMember, member: 0, range: { $0[0] }, firstRecord: 10),
    Damage(
      name: "CT subfield length of member 0", apply: flip { _ in 14 }, members: 4, events: 30,
      kind: .corruptMember, member: 0, range: { $0[0] }, firstRecord: 10),
    Damage(
      name: "XLEN high byte of member 0", apply: flip { _ in 11 }, members: 4, events: 30,
      kind: .corruptMember, member: 0, range: { $0[0] }, firstRecord: 10),
    Damage(
      name: "XLEN high byte of member 2", apply: flip { $0[2].lowerBound + 11 }, members: 4,
      events: 30, kind: .corruptMember, member: 2, range: { $0[2] }, firstRecord: 0),
    Damage(
      name: "magic of member 2", apply: flip { $0[2].lowerBound }, members: 4, events: 30,
      kind: .corruptMember, member: 2, range: { $0[2] }, firstRecord: 0),
  ]

  @Test(arguments: damages)
  func damageLosesOnlyItsOwnBytes(_ damage: Damage) throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 4, perMember: 10)
    let bytes = damage.apply(file.bytes, file.ranges)
    let shift = bytes.count - file.bytes.count
    let ranges = file.ranges.map { ($0.lowerBound + shift)..<($0.upperBound + shift) }
    let (summary, records) = fixture.read(try fixture.write(bytes))
    let headerLines = damage.firstRecord == 0 ? 1 : 0
    #expect(summary.stream == .clicks)
    #expect(summary.compressed)
    #expect(summary.members == damage.members)
    #expect(summary.lines == damage.events + headerLines)
    #expect(summary.events == damage.events)
    #expect(records.first == LogBytes.record(damage.firstRecord))
    #expect(records.last == LogBytes.record(39))
    #expect(summary.problems.map(\.kind) == [damage.kind])
    let problem = try #require(summary.problems.first)
    #expect(problem.member == damage.member)
    #expect(problem.startOffset == damage.range(ranges).lowerBound)
    #expect(problem.endOffset == damage.range(ranges).upperBound)
  }

  @Test func headerAfterDamagedEmptyMemberIsSkipped() throws {
    let fixture = try LogFixture()
    var empty = LogBytes.member([])
    empty[2] = 0x07
    let first = LogBytes.member(LogBytes.clicksText(10))
    let second = LogBytes.member(LogBytes.clickLines(10..<20))
    let (summary, records) = fixture.read(try fixture.write(empty + first + second))
    #expect(summary.members == 3)
    #expect(summary.lines == 21)
    #expect(summary.events == 20)
    #expect(records.first == LogBytes.record(0))
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.endOffset == empty.count)
  }

  @Test func cutInsideHeaderIsTruncated() throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 3, perMember: 10)
    let cut = file.ranges[2].lowerBound + 11
    let (summary, _) = fixture.read(try fixture.write(Array(file.bytes[..<cut])))
    #expect(summary.members == 3)
    #expect(summary.events == 20)
    #expect(summary.problems.map(\.kind) == [.truncatedMember])
    #expect(summary.problems.first?.member == 2)
    #expect(summary.problems.first?.startOffset == file.ranges[2].lowerBound)
    #expect(summary.problems.first?.endOffset == cut)
  }

  @Test func oversizedExtraFieldIsNotTruncation() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 3, perMember: 10)
    // XLEN 0xFF0C: the extra field would run 65 KB, past the end of this small file.
    file.bytes[file.ranges[1].lowerBound + 11] = 0xFF
    let (summary, _) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.members == 3)
    #expect(summary.events == 20)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.startOffset == file.ranges[1].lowerBound)
    #expect(summary.problems.first?.endOffset == file.ranges[1].upperBound)
    #expect(summary.problems.first?.message.contains("ends inside") == false)
  }

  @Test func textWithoutGzipHeaderIsPlain() throws {
    let fixture = try LogFixture()
    let (summary, _) = fixture.read(try fixture.write(LogBytes.clicksText(5), to: "a.tsv"))
    #expect(!summary.compressed)
    #expect(summary.events == 5)
    #expect(summary.problems.isEmpty)
  }
}
