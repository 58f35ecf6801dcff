import ClicktrailTestSupport
import Foundation
import Testing

/// Keeps Reports/ exactly the output of the README's command on SampleLogs/:
/// `clicktrail report SampleLogs --out Reports`, run from the repository's root.
@Suite(
  .enabled(if: RepositoryRoot.canCheckReports, "SampleLogs/, Reports/ or the executable not found"))
struct ReportsFolderTests {
  @Test func reportsMatchSampleLogs() throws {
    let fixture = try LogFixture()
    let out = fixture.directory.appendingPathComponent("report").path
    // The report records its input paths as given, so the executable runs from the root
    // with the README's relative path.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RepositoryRoot.executable!)
    process.arguments = ["report", "SampleLogs", "--out", out]
    process.currentDirectoryURL = URL(fileURLWithPath: RepositoryRoot.path)
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let expected = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    let committed = try FileManager.default.contentsOfDirectory(
      atPath: RepositoryRoot.path + "/Reports"
    ).sorted()
    #expect(committed == expected)
    let differing = expected.filter { name in
      FileManager.default.contents(atPath: out + "/" + name)
        != FileManager.default.contents(atPath: RepositoryRoot.path + "/Reports/" + name)
    }
    #expect(differing.isEmpty, "regenerate with: clicktrail report SampleLogs --out Reports")
  }
}

/// The repository's root folder, found from this file's path.
enum RepositoryRoot {
  static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  /// The executable built with the tests.
  static var executable: String? { BuiltExecutable.clicktrail }

  static var canCheckReports: Bool {
    FileManager.default.fileExists(atPath: path + "/SampleLogs/catalogue.json")
      && FileManager.default.fileExists(atPath: path + "/Reports/campaigns.csv")
      && executable != nil
  }
}
