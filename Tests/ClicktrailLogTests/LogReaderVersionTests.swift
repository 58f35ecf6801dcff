import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// The format version and stream code of every `CT` subfield are checked.
@Suite struct LogReaderVersionTests {
  /// Returns a four-member clicks file (10 lines each) with `byte` of the `CT` subfield set
  /// to `value` in the given members. Header bytes are outside the CRC-32, so the members
  /// stay sound.
  static func file(setting byte: Int, to value: UInt8, inMembers members: [Int]) -> (
    bytes: [UInt8], ranges: [Range<Int>]
  ) {
    var file = LogBytes.clicksFile(members: 4, perMember: 10)
    for member in members { file.bytes[file.ranges[member].lowerBound + byte] = value }
    return file
  }

  @Test func unknownVersionStopsTheFile() throws {
    let fixture = try LogFixture()
    let file = Self.file(setting: 20, to: 9, inMembers: [2])
    let (summary, records) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.formatVersion == 1)
    #expect(summary.members == 3)
    #expect(summary.lines == 21)
    #expect(summary.events == 20)
    #expect(records.last == LogBytes.record(19))
    #expect(summary.problems.map(\.kind) == [.unsupportedVersion])
    let problem = try #require(summary.problems.first)
    #expect(problem.member == 2)
    #expect(problem.startOffset == file.ranges[2].lowerBound)
    #expect(problem.endOffset == file.bytes.count)
    #expect(problem.message.contains("format version 9"))
  }

  @Test func unknownFirstVersionReadsNothing() throws {
    let fixture = try LogFixture()
    let file = Self.file(setting: 20, to: 2, inMembers: [0, 1, 2, 3])
    let (summary, records) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.formatVersion == 2)
    #expect(summary.stream == nil)
    #expect(summary.members == 1)
    #expect(summary.lines == 0)
    #expect(records.isEmpty)
    #expect(summary.problems.map(\.kind) == [.unsupportedVersion])
    #expect(summary.problems.first?.startOffset == 0)
    #expect(summary.problems.first?.endOffset == file.bytes.count)
  }

  @Test func streamCodeMismatchIsReportedOnce() throws {
    let fixture = try LogFixture()
    let file = Self.file(setting: 21, to: LogStream.postbacks.code, inMembers: [1, 3])
    let (summary, records) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.stream == .clicks)
    #expect(summary.members == 4)
    #expect(summary.events == 40)
    #expect(records.last == LogBytes.record(39))
    #expect(summary.problems.map(\.kind) == [.streamMismatch])
    let problem = try #require(summary.problems.first)
    #expect(problem.member == 1)
    #expect(problem.startOffset == file.ranges[1].lowerBound)
    #expect(problem.endOffset == file.ranges[1].upperBound)
  }

  @Test func reservedBytesAreIgnored() throws {
    let fixture = try LogFixture()
    var file = Self.file(setting: 22, to: 0x5A, inMembers: [0, 1, 2, 3])
    for range in file.ranges { file.bytes[range.lowerBound + 23] = 0xA5 }
    let (summary, _) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.events == 40)
    #expect(summary.problems.isEmpty)
  }
}
