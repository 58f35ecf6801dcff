import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

@Suite struct LogReaderDamageTests {
  @Test func emptyFileIsReported() throws {
    let fixture = try LogFixture()
    let (summary, _) = fixture.read(try fixture.write([]))
    #expect(summary.lines == 0)
    #expect(summary.members == 0)
    #expect(summary.problems.map(\.kind) == [.emptyFile])
  }

  @Test func missingFileIsUnreadableAndTheRunGoesOn() throws {
    let fixture = try LogFixture()
    let sound = try fixture.write(LogBytes.clicksText(3), to: "sound.tsv")
    let result = LogReader.read(
      paths: [fixture.directory.path + "/gone.tsv.gz", fixture.directory.path, sound],
      into: CountingSink.self)
    #expect(result.files[0].problems.map(\.kind) == [.unreadableFile])
    #expect(result.files[1].problems.map(\.kind) == [.unreadableFile])
    #expect(result.files[2].events == 3)
    #expect(result.sink.records == 3)
  }

  @Test func memberCutByACrashKeepsItsCompleteLines() throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 3, perMember: 200)
    let last = file.ranges[2]
    let cut = last.lowerBound + last.count / 2
    let kept = LogBytes.lineFeeds(inflatingPrefixOf: file.bytes[last.lowerBound..<cut])
    let (summary, records) = fixture.read(try fixture.write(Array(file.bytes[..<cut])))
    #expect(kept > 0)
    #expect(kept < 200)
    #expect(summary.members == 3)
    #expect(summary.lines == 401 + kept)
    #expect(summary.events == 400 + kept)
    #expect(records.last == LogBytes.record(400 + kept - 1))
    let problem = try #require(summary.problems.first)
    #expect(summary.problems.count == 1)
    #expect(problem.kind == .truncatedMember)
    #expect(problem.member == 2)
    #expect(problem.startOffset == last.lowerBound)
    #expect(problem.endOffset == cut)
    #expect(problem.message.contains("kept \(kept) complete lines"))
  }

  @Test func memberMissingOnlyItsTrailerKeepsEveryLine() throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 2, perMember: 10)
    let (summary, _) = fixture.read(try fixture.write(Array(file.bytes.dropLast(8))))
    #expect(summary.lines == 21)
    #expect(summary.problems.map(\.kind) == [.truncatedMember])
    #expect(summary.problems.first?.endOffset == file.bytes.count - 8)
  }

  @Test func corruptMemberIsDroppedAndLaterLinesKeepCounting() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 4, perMember: 10)
    let middle = file.ranges[1]
    file.bytes[middle.lowerBound + middle.count / 2] ^= 0x55
    var tail = LogBytes.clickLines(40..<41) + Array("1\tvisit\n".utf8)
    tail += LogBytes.clickLines(41..<42)
    let path = try fixture.write(file.bytes + LogBytes.member(tail))
    let (summary, _) = fixture.read(path)
    #expect(summary.members == 5)
    #expect(summary.lines == 1 + 30 + 3)
    #expect(summary.events == 32)
    #expect(summary.problems.map(\.kind) == [.corruptMember, .rejectedLine])
    #expect(summary.problems.first?.member == 1)
    #expect(summary.problems.first?.startOffset == middle.lowerBound)
    #expect(summary.problems.first?.endOffset == middle.upperBound)
    #expect(summary.problems.last?.line == 33)
    #expect(summary.problems.last?.message == "expected 12 columns, found 2")
  }

  @Test func damagedMemberHeaderIsSkippedToTheNextMember() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 4, perMember: 10)
    let damaged = file.ranges[2]
    file.bytes.replaceSubrange(damaged.lowerBound..<(damaged.lowerBound + 3), with: [0, 0, 0])
    let (summary, _) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.members == 4)
    #expect(summary.lines == 31)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.startOffset == damaged.lowerBound)
    #expect(summary.problems.first?.endOffset == damaged.upperBound)
  }

  @Test func memberLengthRunningPastTheFileIsNotTrusted() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 4, perMember: 10)
    let damaged = file.ranges[1]
    file.bytes[damaged.lowerBound + 19] = 0x7F
    let (summary, _) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.lines == 31)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.startOffset == damaged.lowerBound)
    #expect(summary.problems.first?.endOffset == damaged.upperBound)
  }

  @Test func firstMemberCorruptFallsBackToTheStreamCode() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 3, perMember: 10)
    file.bytes[file.ranges[0].upperBound - 6] ^= 0x01
    let (summary, _) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.stream == .clicks)
    #expect(summary.lines == 20)
    #expect(summary.events == 20)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
  }

  @Test func trailingZerosLoseNothing() throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 2, perMember: 10)
    let path = try fixture.write(file.bytes + [UInt8](repeating: 0, count: 4_096))
    let (summary, _) = fixture.read(path)
    #expect(summary.lines == 21)
    #expect(summary.members == 2)
    #expect(summary.problems.map(\.kind) == [.trailingZeros])
    #expect(summary.problems.first?.startOffset == file.bytes.count)
    #expect(summary.problems.first?.endOffset == file.bytes.count + 4_096)
  }

  @Test func zerosBetweenMembersAreSkipped() throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 2, perMember: 10)
    let after = LogBytes.member(LogBytes.clickLines(20..<25))
    let path = try fixture.write(file.bytes + [UInt8](repeating: 0, count: 512) + after)
    let (summary, _) = fixture.read(path)
    #expect(summary.lines == 26)
    #expect(summary.members == 3)
    #expect(summary.problems.map(\.kind) == [.zeroPadding])
    #expect(summary.problems.first?.endOffset == file.bytes.count + 512)
  }

  @Test(arguments: [("CT members", false), ("gzip member", true)])
  func trailingGarbageIsReported(_ name: String, recompress: Bool) throws {
    let fixture = try LogFixture()
    let text = LogBytes.clicksText(10)
    let data = recompress ? try LogBytes.systemGzip(text) : LogBytes.member(text)
    let (summary, _) = fixture.read(try fixture.write(data + Array("not gzip at all".utf8)))
    #expect(summary.lines == 11)
    #expect(summary.problems.map(\.kind) == [.trailingGarbage])
    #expect(summary.problems.first?.startOffset == data.count)
    #expect(summary.problems.first?.endOffset == data.count + 15)
  }

  @Test func streamedMemberCutOffKeepsItsCompleteLines() throws {
    let fixture = try LogFixture()
    let data = try LogBytes.systemGzip(LogBytes.clicksText(20_000))
    let (summary, _) = fixture.read(try fixture.write(Array(data.prefix(data.count / 2))))
    #expect(summary.lines > 1_000)
    #expect(summary.lines < 20_001)
    #expect(summary.events == summary.lines - 1)
    #expect(summary.problems.map(\.kind) == [.truncatedMember])
  }
}
