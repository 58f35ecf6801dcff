import ClicktrailLog
import Foundation

/// Runs a comparison: reads the logs once for both periods, builds each period's report,
/// compares them and writes the output folder atomically.
public struct ComparisonRunner {
  /// The comparison's inputs, validated by the command line before any log is read.
  public struct Inputs: Sendable {
    /// The paths, catalogue, sends, output folder and workers; its settings give the time
    /// zone, the `--by` tables and the conversion day of both periods.
    public var report: ReportRunner.Inputs
    public var a: ComparisonPeriod
    public var b: ComparisonPeriod

    public init(report: ReportRunner.Inputs, a: ComparisonPeriod, b: ComparisonPeriod) {
      self.report = report
      self.a = a
      self.b = b
    }

    /// The report settings of a period.
    func settings(_ period: ComparisonPeriod) -> ReportSettings {
      var settings = report.settings
      settings.from = period.from
      settings.to = period.to
      return settings
    }
  }

  /// The outcome of a run.
  public struct Result {
    public var comparison: Comparison
    public var accounting: ReportAccounting
    public var files: [LogFileSummary]
    public var sendsProblems: [String]
  }

  let inputs: Inputs
  let classifier: DeviceClassifier

  public init(inputs: Inputs, classifier: DeviceClassifier) {
    self.inputs = inputs
    self.classifier = classifier
  }

  /// Reads, compares and writes.
  /// - Throws: `ReportRunner.Failure` when an input cannot be read or the output cannot be
  ///   written; the previous output is then left as it was.
  public func run() throws(ReportRunner.Failure) -> Result {
    let runner = ReportRunner(inputs: inputs.report, classifier: classifier)
    let read = try runner.build(periods: [inputs.settings(inputs.a), inputs.settings(inputs.b)])
    let comparison = Comparison(
      a: inputs.a, b: inputs.b,
      tablesA: ComparisonTimeTables.regroup(
        read.outputs[0].tables, zoneName: inputs.report.settings.timeZoneName),
      tablesB: ComparisonTimeTables.regroup(
        read.outputs[1].tables, zoneName: inputs.report.settings.timeZoneName))
    try ReportOutput.install(Self.files(comparison, inputs: inputs), at: inputs.report.outputPath)
    return Result(
      comparison: comparison, accounting: read.outputs[0].accounting, files: read.files,
      sendsProblems: read.sendsProblems)
  }

  /// Every file of the comparison by name: `compare-<table>.csv` and `index.html`.
  public static func files(
    _ comparison: Comparison, inputs: Inputs
  ) -> [(name: String, text: String)] {
    var files = comparison.tables.map {
      (name: "compare-\($0.name).csv", text: ComparisonCells.csv($0, in: comparison))
    }
    files.append((name: "index.html", text: ComparisonHTML(comparison, inputs: inputs).render()))
    return files
  }
}
