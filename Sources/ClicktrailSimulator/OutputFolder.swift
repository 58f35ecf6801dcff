import ClicktrailLog
import Foundation

/// The folder a run writes to. A log root left by an earlier run is removed first, because
/// the log writer never overwrites a file and would add files next to the old ones.
struct OutputFolder {
  let directory: String

  var logRoot: String { path("logs") }

  /// Creates the folder when missing and removes its `logs/` when it contains only the
  /// `clicks` and `postbacks` streams.
  /// - Throws: `SimulationError` when the folder cannot be made or `logs/` contains anything else.
  init(_ directory: String) throws(SimulationError) {
    self.directory = directory
    let files = FileManager.default
    do {
      try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
      if files.fileExists(atPath: path("logs")) {
        let entries = try files.contentsOfDirectory(atPath: path("logs"))
        let strange = entries.filter { $0 != "clicks" && $0 != "postbacks" }
        guard strange.isEmpty else {
          throw SimulationError(
            description: "\(path("logs")) is not a log root: it contains "
              + "\(strange.sorted().joined(separator: ", ")); move it away or choose another --out")
        }
        try files.removeItem(atPath: path("logs"))
      }
    } catch let error as SimulationError {
      throw error
    } catch {
      throw SimulationError(
        description: "cannot prepare \(directory): \(error.localizedDescription)")
    }
  }

  /// Returns the path of `name` inside the folder.
  func path(_ name: String) -> String {
    (directory as NSString).appendingPathComponent(name)
  }

  /// Writes `text` as UTF-8 to `name`, replacing the file; gzip-compressed when `compressed`.
  func write(_ text: String, to name: String, compressed: Bool = false) throws(SimulationError) {
    let bytes = compressed ? GzipFile.compress(Array(text.utf8)) : Array(text.utf8)
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path(name)), options: .atomic)
    } catch {
      throw SimulationError(
        description: "cannot write \(path(name)): \(error.localizedDescription)")
    }
  }
}
