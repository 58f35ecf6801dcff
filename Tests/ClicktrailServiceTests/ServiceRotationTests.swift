import ClicktrailLog
import ClicktrailSupport
import ClicktrailTestSupport
import Foundation
import Testing

/// The real service and writer under load while the injected clock crosses an hour.
@Suite struct ServiceRotationTests {
  @Test func hourBoundaryUnderLoadLosesNothing() throws {
    let harness = try ServiceHarness()
    let hourEnd = ServiceHarness.start + LogFileLayout.hourMilliseconds
    harness.clock.set(milliseconds: hourEnd - 2_000)
    let load = LoopbackLoad(port: harness.running.port, workers: 3, requests: 1_000_000) {
      "/c/spring?w=\($0)&i=\($1)"
    }
    defer { load.stop() }
    // Requests in the old hour first, then in the new hour while its file is still open.
    try load.waitForResponses(atLeast: 200)
    harness.clock.set(milliseconds: hourEnd + 1_000)
    try load.waitForResponses(atLeast: load.completedCount + 200)
    // Past the end of the hour by more than the 10 s close grace, in steps of 50 ms, so that
    // the flusher closes the old hour's file while requests still arrive.
    while harness.clock.nowMilliseconds() < hourEnd + 12_000 {
      harness.clock.advance(milliseconds: 50)
      usleep(2_000)
    }
    try load.waitForResponses(atLeast: load.completedCount + 200)
    let rotationDeadline = Date().addingTimeInterval(30)
    while !harness.logOutput.lines.contains(where: { $0.contains("rotation.reason=hour") })
      && Date() < rotationDeadline
    {
      usleep(10_000)
    }
    load.stop()
    #expect(load.failures.isEmpty)
    let rotations = harness.logOutput.lines.filter {
      $0.contains("rotated log file") && $0.contains("rotation.reason=hour")
    }
    #expect(rotations.count == 1)

    let (clicks, _) = try harness.stopAndReadEvents()
    let expected = load.completed
    #expect(clicks.count == expected.count)
    #expect(Set(clicks.map { "/c/spring?" + $0.params }) == Set(expected))
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
