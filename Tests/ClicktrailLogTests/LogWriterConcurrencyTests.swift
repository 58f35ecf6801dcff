import ClicktrailLog
import ClicktrailSupport
import Dispatch
import Foundation
import Testing

@Suite struct LogWriterConcurrencyTests {
  typealias Support = WriterTestSupport

  @Test func concurrentAppendsEachWrittenOnce() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    // A short interval and small members keep the flusher thread busy alongside the appends.
    let configuration = Support.configuration(
      clock: clock, flushInterval: .milliseconds(2), maxMemberBytes: 16 << 10)
    let writer = LogWriter(root: root, stream: .clicks, configuration: configuration)
    let threads = 8
    let perThread = 5000
    let rejected = LockedValue(0)

    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      for index in 0..<perThread {
        let event = Support.click("t\(thread)-\(index)", at: Support.baseTime + Int64(index))
        if !writer.append(event) { rejected.withLock { $0 += 1 } }
        if index % 1000 == 999 { writer.flush() }
      }
    }
    writer.close()

    let ids = try Support.clickIDs(under: root)
    #expect(rejected.withLock { $0 } == 0)
    #expect(ids.count == threads * perThread)
    #expect(Set(ids).count == threads * perThread)
    let statistics = writer.statistics
    #expect(statistics.eventsAppended == threads * perThread)
    #expect(statistics.eventsWritten == threads * perThread)
    #expect(statistics.droppedEvents == 0)
    #expect(statistics.membersWritten > 1)
    #expect(statistics.flushCount > 0)
    #expect(statistics.flushMicrosecondsTotal >= statistics.lastFlushMicroseconds)
  }

  @Test func eachThreadKeepsItsOrder() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let configuration = Support.configuration(clock: clock, flushInterval: .milliseconds(1))
    let log = EventLog(root: root, configuration: configuration)
    DispatchQueue.concurrentPerform(iterations: 4) { thread in
      for index in 0..<2000 {
        log.append(Support.click("t\(thread)-\(index)", at: Support.baseTime))
      }
    }
    log.close()
    var lastIndex: [String: Int] = [:]
    var ordered = true
    for id in try Support.clickIDs(under: root) {
      let parts = id.split(separator: "-")
      let thread = String(parts[0])
      let index = Int(parts[1]) ?? -1
      if let previous = lastIndex[thread], previous >= index { ordered = false }
      lastIndex[thread] = index
    }
    #expect(ordered)
    #expect(lastIndex.values.allSatisfy { $0 == 1999 })
  }
}
