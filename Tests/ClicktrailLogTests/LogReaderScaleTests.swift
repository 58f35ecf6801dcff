import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// A file of many tiny members, the case where member numbering once took quadratic time.
/// The time itself is measured by `bench/`, not asserted here.
@Suite struct LogReaderScaleTests {
  @Test func manyEmptyMembersAreNumberedExactly() throws {
    let fixture = try LogFixture()
    let count = 50_000
    let empty = LogBytes.member([])
    var damaged = empty
    damaged[damaged.count - 8] ^= 0x01
    let first = LogBytes.member(LogBytes.clicksText(3))
    let bytes = first + Array(repeating: empty, count: count).joined() + damaged
    let path = try fixture.write(bytes)
    let (summary, _) = fixture.read(path, workers: 1, chunkBytes: 1 << 30)
    #expect(summary.members == count + 2)
    #expect(summary.events == 3)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.member == count + 1)
    #expect(summary.problems.first?.startOffset == bytes.count - damaged.count)
  }
}
