import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// No line of a `CT` member is used before its CRC-32 and ISIZE check.
@Suite struct LogReaderChecksumTests {
  @Test(arguments: [("CRC-32 alone", false), ("CRC-32 and a huge ISIZE", true)])
  func failedChecksumDropsAllLines(_ name: String, hugeSize: Bool) throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 3, perMember: 10)
    let damaged = file.ranges[1]
    file.bytes[damaged.upperBound - 8] ^= 0x01
    if hugeSize { file.bytes[damaged.upperBound - 1] |= 0x80 }
    let (summary, records) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.members == 3)
    #expect(summary.lines == 21)
    #expect(summary.events == 20)
    #expect(records.count == 20)
    #expect(records.dropFirst(10).first == LogBytes.record(20))
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    let problem = try #require(summary.problems.first)
    #expect(problem.member == 1)
    #expect(problem.startOffset == damaged.lowerBound)
    #expect(problem.endOffset == damaged.upperBound)
    #expect(problem.message.contains("exceeds the largest member a writer makes") == hugeSize)
  }

  @Test(arguments: [("shortened", -5), ("lengthened", 5)])
  func wrongLengthMakesNoPhantomMember(_ name: String, change: Int) throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 4, perMember: 10)
    let damaged = file.ranges[2]
    let length = UInt32(damaged.count + change)
    for index in 0..<4 {
      file.bytes[damaged.lowerBound + 16 + index] = UInt8(truncatingIfNeeded: length >> (8 * index))
    }
    let (summary, records) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.members == 4)
    #expect(summary.lines == 31)
    #expect(summary.events == 30)
    #expect(records.last == LogBytes.record(39))
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    let problem = try #require(summary.problems.first)
    #expect(problem.member == 2)
    #expect(problem.startOffset == damaged.lowerBound)
    #expect(problem.endOffset == damaged.upperBound)
    #expect(problem.message.contains("its length \(length) does not lead to the next member"))
  }

  @Test func overlongLastMemberFailingCRCIsDropped() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 3, perMember: 10)
    let last = file.ranges[2]
    file.bytes[last.lowerBound + 19] = 0x01
    file.bytes[last.upperBound - 8] ^= 0x01
    let (summary, _) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.members == 3)
    #expect(summary.lines == 21)
    #expect(summary.events == 20)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.message.contains("CRC-32 or ISIZE mismatch") == true)
  }

  @Test func overlongSoundLastMemberIsKept() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 3, perMember: 10)
    file.bytes[file.ranges[2].lowerBound + 19] = 0x01
    let (summary, _) = fixture.read(try fixture.write(file.bytes))
    #expect(summary.lines == 31)
    #expect(summary.events == 30)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.message.contains("are kept") == true)
  }
}
