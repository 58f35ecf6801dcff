import ClicktrailSimulator
import ClicktrailTestSupport
import Foundation
import Testing

/// Keeps SampleLogs/ exactly what the default scenario writes, so that the committed sample
/// is never edited by hand or left behind by a change to the simulator or the service.
@Suite(.enabled(if: SampleFolder.path != nil, "SampleLogs/ not found beside Tests/"))
struct SampleLogsTests {
  static func files(under root: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let path = root + "/" + relative
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      if exists && !isDirectory.boolValue && relative != "README.md" {
        files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
      }
    }
    return files
  }

  @Test func sampleLogsMatchDefaultScenario() throws {
    let fixture = try LogFixture()
    var options = SimulationOptions()
    options.outputDirectory = fixture.directory.path
    _ = try Simulator.run(options)
    let expected = try Self.files(under: fixture.directory.path)
    let committed = try Self.files(under: SampleFolder.path!)
    #expect(committed.keys.sorted() == expected.keys.sorted())
    let differing = expected.keys.sorted().filter { committed[$0] != expected[$0] }
    #expect(
      differing.isEmpty,
      "regenerate with: swift run -c release clicktrail simulate --out SampleLogs")
  }
}

/// The repository's SampleLogs/ folder, or nil in a copy without it.
enum SampleFolder {
  static let path: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("SampleLogs").path
    return FileManager.default.fileExists(atPath: folder + "/catalogue.json") ? folder : nil
  }()
}
