import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// A file's problem list is capped while its problem count stays exact.
@Suite struct LogReaderProblemCapTests {
  @Test(arguments: [1, 2])
  func problemsPastTheCapAreCounted(workers: Int) throws {
    let fixture = try LogFixture()
    func badLines(_ count: Int) -> [UInt8] {
      Array(Array(repeating: Array("x\n".utf8), count: count).joined())
    }
    var bytes = LogBytes.member(LogBytes.clicksText(0) + badLines(1_000))
    for _ in 0..<3 { bytes += LogBytes.member(badLines(500)) }
    let path = try fixture.write(bytes)
    let (summary, _) = fixture.read(path, workers: workers, chunkBytes: 64)
    #expect(summary.lines == 2_501)
    #expect(summary.problems.count == LogFileSummary.maxListedProblems)
    #expect(summary.omittedProblems == 1_500)
    #expect(summary.problemCount == 2_500)
    #expect(summary.problems.first?.line == 2)
    #expect(summary.problems.last?.line == 1_001)
    #expect(summary.problems.allSatisfy { $0.kind == .rejectedLine })
  }
}
