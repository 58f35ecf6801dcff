import ClicktrailLog
import ClicktrailReport
import Foundation

/// Runs `clicktrail report` on logs made from the input, against the requests target's
/// catalogue, and writes every file of the report.
///
/// The input is split at the first 0xFF byte: the part before contains clicks lines, the part
/// after postbacks lines, each written as plain text after its stream's header.
enum ReportTarget {
  static let catalogue: String = {
    let path = ScratchFolder.path + "/catalogue.json"
    _ = FileManager.default.createFile(
      atPath: path, contents: Data(RequestTarget.catalogueText.utf8))
    return path
  }()

  static func run(_ data: UnsafeRawBufferPointer) {
    let split = data.firstIndex(of: 0xFF) ?? data.endIndex
    let logs = ScratchFolder.path + "/report-logs"
    try? FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
    for (stream, part) in [
      (LogStream.clicks, data[..<split]), (.postbacks, data[min(split + 1, data.endIndex)...]),
    ] {
      let bytes = LogLineEncoder.header(for: stream) + Array(part)
      let name = "report-logs/\(stream.rawValue)-2026-11-05T09-fuzz-1-000.tsv.gz"
      _ = bytes.withUnsafeBytes { ScratchFolder.write($0, name: name) }
    }
    var inputs = ReportRunner.Inputs(
      paths: [logs], settings: ReportSettings(timeZone: TimeZone(identifier: "UTC")!),
      outputPath: ScratchFolder.path + "/report")
    inputs.cataloguePath = catalogue
    inputs.workers = 1
    do {
      let result = try ReportRunner(inputs: inputs, classifier: SimpleDeviceClassifier()).run()
      let accounting = result.output.accounting
      FuzzCheck.require(
        accounting.events == result.files.map(\.events).reduce(0, +),
        "the report counted \(accounting.events) events, the reader \(result.files)")
    } catch {
      FuzzCheck.require(false, "the report failed: \(error)")
    }
  }
}
