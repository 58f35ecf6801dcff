import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSends
import ClicktrailSimulator
import ClicktrailTestSupport
import Foundation
import Testing

/// Runs a small scenario into a temporary folder.
final class SmallRun {
  let fixture: LogFixture
  let result: SimulationResult

  var directory: String { fixture.directory.path }

  init(seed: UInt64 = 11) throws {
    fixture = try LogFixture()
    var options = SimulationOptions()
    options.seed = seed
    options.recipients = 600
    options.days = 2
    options.outputDirectory = fixture.directory.path
    result = try Simulator.run(options)
  }

  /// Returns every file under the folder by relative path.
  func files() throws -> [String: Data] {
    let root = fixture.directory.resolvingSymlinksInPath().path
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let path = root + "/" + relative
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      if exists && !isDirectory.boolValue {
        files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
      }
    }
    return files
  }

  /// Returns every event in the run's logs and the problems the reader found.
  func events() throws -> (clicks: [ClickEvent], postbacks: [PostbackEvent], problems: Int) {
    let paths = try LogPathExpander.expand([directory + "/logs"])
    let read = LogReader.read(paths: paths, into: CollectingSink.self)
    var clicks: [ClickEvent] = []
    var postbacks: [PostbackEvent] = []
    for record in read.sink.records {
      switch record {
      case .click(let event): clicks.append(event)
      case .postback(let event): postbacks.append(event)
      }
    }
    return (clicks, postbacks, read.files.reduce(0) { $0 + $1.problems.count })
  }
}

@Suite struct SimulatorDeterminismTests {
  @Test func sameSeedGivesByteIdenticalFiles() throws {
    let first = try SmallRun().files()
    let second = try SmallRun().files()
    #expect(first.count > 3)
    #expect(first.keys.sorted() == second.keys.sorted())
    for (path, bytes) in first {
      #expect(second[path] == bytes, "\(path) differs between runs")
    }
  }

  @Test func otherSeedGivesOtherExport() throws {
    let first = try SmallRun(seed: 11).files()
    let second = try SmallRun(seed: 12).files()
    #expect(first["gateway-export.csv.gz"] != second["gateway-export.csv.gz"])
    #expect(first["catalogue.json"] == second["catalogue.json"])
  }
}

@Suite struct SimulatorOutputTests {
  let run: SmallRun

  init() throws {
    run = try SmallRun()
  }

  @Test func serviceAnsweredEveryRequestAsExpected() {
    #expect(run.result.unexpectedAnswers == 0)
    #expect(run.result.postbacksAccepted == run.result.postbacks)
  }

  @Test func exportMatchesScenarioCounters() throws {
    let catalogue = try Catalogue.load(
      contentsOf: URL(fileURLWithPath: run.directory + "/catalogue.json"))
    let table = try SendsReader.read(
      path: run.directory + "/gateway-export.csv.gz", catalogue: catalogue)
    #expect(table.problems.isEmpty)
    #expect(table.countedRows == run.result.messages)
    #expect(table.totals.values.reduce(0) { $0 + $1.delivered } == run.result.delivered)
    for (campaign, segments) in run.result.sends {
      for (segment, sends) in segments {
        let totals = table.totals[SendsKey(campaign: campaign, segment: segment)]
        let cost = Decimal(sends.deliveredCostMicros) / 1_000_000
        #expect(totals?.delivered == sends.delivered, "\(campaign) \(segment)")
        #expect(totals?.deliveredCost == cost, "\(campaign) \(segment)")
      }
    }
  }

  @Test func everyLoggedVisitCameThroughTheService() throws {
    let events = try run.events()
    let visits = events.clicks.filter { $0.kind == .visit }
    #expect(events.problems == 0)
    #expect(visits.count == run.result.visits)
    #expect(visits.allSatisfy { run.result.visitClickIDs.contains($0.clickID) })
    #expect(events.clicks.filter { $0.kind == .click }.count == run.result.clicks)
    #expect(events.postbacks.count == run.result.postbacks)
  }

  @Test func logsContainNoPhoneNumbers() throws {
    let compressed = try Data(
      contentsOf: URL(fileURLWithPath: run.directory + "/gateway-export.csv.gz"))
    let export = String(decoding: try GzipFile.decompress(Array(compressed)), as: UTF8.self)
    let numbers = Set(
      export.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[1] })
    let events = try run.events()
    let lines =
      events.clicks.map { "\($0.params) \($0.userAgent) \($0.referrer)" }
      + events.postbacks.map { "\($0.params) \($0.clickID)" }
    #expect(numbers.count == run.result.messages)
    #expect(!lines.contains { line in numbers.contains { line.contains($0) } })
  }
}
