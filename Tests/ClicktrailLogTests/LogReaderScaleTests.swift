import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// Reading time grows linearly with the number of members.
@Suite struct LogReaderScaleTests {
  @Test func manyEmptyMembersReadInLinearTime() throws {
    let fixture = try LogFixture()
    let count = 50_000
    let empty = LogBytes.member([])
    var damaged = empty
    damaged[damaged.count - 8] ^= 0x01
    let first = LogBytes.member(LogBytes.clicksText(3))
    let bytes = first + Array(repeating: empty, count: count).joined() + damaged
    let path = try fixture.write(bytes)
    let clock = ContinuousClock()
    let start = clock.now
    let (summary, _) = fixture.read(path, workers: 1, chunkBytes: 1 << 30)
    let elapsed = clock.now - start
    #expect(summary.members == count + 2)
    #expect(summary.events == 3)
    #expect(summary.problems.map(\.kind) == [.corruptMember])
    #expect(summary.problems.first?.member == count + 1)
    #expect(summary.problems.first?.startOffset == bytes.count - damaged.count)
    // Recounting the earlier members for each member took 96 s in a debug build, and a
    // linear count takes under 1 s.
    #expect(elapsed < .seconds(10))
  }
}
