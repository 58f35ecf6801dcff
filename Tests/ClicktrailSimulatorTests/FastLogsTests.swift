import ClicktrailLog
import ClicktrailSimulator
import ClicktrailTestSupport
import Foundation
import Testing

@Suite struct FastLogsTests {
  @Test func writesTheRequestedNumberOfEvents() throws {
    let fixture = try LogFixture()
    var options = SimulationOptions()
    options.outputDirectory = fixture.directory.path
    options.days = 1
    #expect(try FastLogs.write(options, events: 5_000) == 5_000)
    let paths = try LogPathExpander.expand([fixture.directory.path + "/logs"])
    let read = LogReader.read(paths: paths, into: CollectingSink.self)
    #expect(read.sink.records.count == 5_000)
    #expect(read.files.allSatisfy { $0.problems.isEmpty })
  }
}
