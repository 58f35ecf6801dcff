import ClicktrailLog
import ClicktrailSupport
import ClicktrailTestSupport
import Foundation
import Synchronization
import Testing

/// The real service and writer under load while the injected clock crosses an hour.
@Suite struct ServiceRotationTests {
  @Test func hourBoundaryUnderLoadLosesNothing() throws {
    let harness = try ServiceHarness()
    let hourEnd = ServiceHarness.start + LogFileLayout.hourMilliseconds
    harness.clock.set(milliseconds: hourEnd - 2_000)
    let answered = LockedValue<Set<String>>([])
    let finished = Atomic<Bool>(false)
    let port = harness.running.port
    let group = DispatchGroup()
    for worker in 0..<3 {
      DispatchQueue.global().async(group: group) {
        guard let client = try? LoopbackHTTPClient(port: port) else { return }
        var index = 0
        while !finished.load(ordering: .acquiring) && index < 20_000 {
          let query = "w=\(worker)&i=\(index)"
          index += 1
          guard let response = try? client.request("GET", "/c/spring?\(query)"),
            response.status == 302
          else { return }
          answered.withLock { _ = $0.insert(query) }
        }
      }
    }
    // Past the end of the hour by more than the 10 s close grace, in steps of 50 ms, so that
    // the flusher closes the old hour's file while requests still arrive.
    while harness.clock.nowMilliseconds() < hourEnd + 12_000 {
      harness.clock.advance(milliseconds: 50)
      usleep(2_000)
    }
    let rotationDeadline = Date().addingTimeInterval(10)
    while !harness.logOutput.lines.contains(where: { $0.contains("rotation.reason=hour") })
      && Date() < rotationDeadline
    {
      usleep(10_000)
    }
    finished.store(true, ordering: .releasing)
    group.wait()
    let rotations = harness.logOutput.lines.filter {
      $0.contains("rotated log file") && $0.contains("rotation.reason=hour")
    }
    #expect(rotations.count == 1)

    let (clicks, _) = try harness.stopAndReadEvents()
    let expected = answered.withLock { $0 }
    #expect(clicks.count == expected.count)
    #expect(Set(clicks.map(\.params)) == expected)
    let hours = Set(clicks.map { LogFileLayout.hourIndex(ofMilliseconds: $0.timestamp) })
    #expect(hours.count == 2)
    for path in try LogPathExpander.expand([harness.logRoot]) {
      let name = try #require(LogFileLayout.parse(fileName: (path as NSString).lastPathComponent))
      let result = LogReader.read(paths: [path], into: CollectingSink.self)
      for case .click(let event) in result.sink.records {
        let (date, hour) = LogFileLayout.dateAndHour(
          ofHourIndex: LogFileLayout.hourIndex(ofMilliseconds: event.timestamp))
        #expect(date == name.date && hour == name.hour, "\(event.timestamp) in \(path)")
      }
    }
  }
}
