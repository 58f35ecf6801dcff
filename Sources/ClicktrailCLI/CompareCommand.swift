import ClicktrailReport
import Foundation

/// `clicktrail compare`: compares two periods of the logs, row by row, with tests.
public struct CompareCommand: Subcommand {
  public static let name = "compare"
  public static let summary = "Compares two periods of the report and tests their rates."
  public static let usage =
    "compare --a FROM..TO --b FROM..TO [--tz ZONE] [--catalogue FILE] [--sends FILE] "
    + "[--by PARAM,PARAM] [--conversion-day visit|postback] [--out DIR] PATH..."
  public static let discussion = """
    Reads the logs under PATH once, builds the report of period A and of period B, pairs \
    the rows of every table, and writes compare-<table>.csv per table and index.html into \
    the output folder, which is replaced as a whole. Each metric is given in A and B with \
    its change; sms_ctr, lander_ctr and cr get a two-proportion z-test, a 95% Newcombe \
    interval for B - A and a Benjamini-Hochberg verdict at q = 0.05 per table and rate. \
    docs/compare.md states the columns and the formulas.

    The periods may overlap; the output then says so, since they share visits.

    Exit status: 0 when the comparison was written from sound logs, 2 when it was written \
    but some input was damaged, 1 when it could not be written, 64 on a usage error.
    """
  public static let options: [OptionSpec] =
    [
      .value(
        "a", "FROM..TO",
        help: "Sets period A, the baseline: inclusive days YYYY-MM-DD..YYYY-MM-DD in the time "
          + "zone."),
      .value(
        "b", "FROM..TO",
        help: "Sets period B, compared with A; changes are B - A. Same form as --a."),
    ] + ReportCommand.options.filter { !["from", "to", "out"].contains($0.name) } + [
      .value("out", "DIR", help: "Sets the output folder. The default is Comparison.")
    ]

  let inputs: ComparisonRunner.Inputs

  public init(arguments: ParsedArguments) throws(UsageError) {
    let zone = try ReportCommand.timeZone(arguments)
    let a = try Self.period(arguments, "a")
    let b = try Self.period(arguments, "b")
    let settings = ReportSettings(timeZone: zone.zone, timeZoneName: zone.name)
    let report = try ReportCommand.inputs(arguments, settings: settings, defaultOut: "Comparison")
    inputs = ComparisonRunner.Inputs(report: report, a: a, b: b)
  }

  /// Parses the required `--NAME FROM..TO`.
  static func period(_ arguments: ParsedArguments, _ name: String) throws(UsageError)
    -> ComparisonPeriod
  {
    guard let text = arguments.value(name) else {
      throw UsageError(
        "missing --\(name): give the period as FROM..TO, such as 2026-11-01..2026-11-07")
    }
    let parts = text.components(separatedBy: "..")
    guard parts.count == 2, let from = LocalDate(parsing: parts[0]),
      let to = LocalDate(parsing: parts[1])
    else {
      throw UsageError(
        "invalid --\(name) '\(text)': expected FROM..TO with dates as YYYY-MM-DD, such as "
          + "2026-11-01..2026-11-07")
    }
    guard from <= to else {
      throw UsageError(
        "invalid --\(name) '\(text)': the period ends before it starts; give FROM..TO with "
          + "FROM on or before TO")
    }
    return ComparisonPeriod(from: from, to: to)
  }

  public func run(console: Console) throws(CommandFailure) -> ExitStatus {
    var inputs = self.inputs
    if console.errorIsTerminal {
      inputs.report.progress = ProgressBar(console: console).update
    }
    let runner = ComparisonRunner(
      inputs: inputs, classifier: ReportClassifiers.make(console: console))
    let result: ComparisonRunner.Result
    do {
      result = try runner.run()
    } catch {
      throw CommandFailure(error.description)
    }
    ReportCommand.writeInputProblems(
      files: result.files, sends: result.sendsProblems, console: console)
    let comparison = result.comparison
    if comparison.a.overlaps(comparison.b) {
      console.writeError(
        "compare: warning: the periods \(comparison.a.description) and "
          + "\(comparison.b.description) overlap, so they share visits and are not independent\n")
    }
    let accounting = result.accounting
    let tests = comparison.tables.flatMap(\.rows).flatMap(\.tests)
    let significant = tests.filter { $0.verdict == .yes }.count
    console.writeError(
      "compare: \(accounting.files) files, \(accounting.linesRead) lines read; "
        + "A \(comparison.a.description), B \(comparison.b.description); "
        + "\(significant) significant changes; written to \(inputs.report.outputPath)\n")
    let damaged = !accounting.damagedFiles.isEmpty || !result.sendsProblems.isEmpty
    return damaged ? .damagedInput : .success
  }
}
