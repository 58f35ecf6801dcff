import ClicktrailLog
import Foundation

/// `clicktrail verify`: reads log files as the batch job does and reports their members,
/// lines, events and every problem, without writing anything.
public struct VerifyCommand: Subcommand {
  public static let name = "verify"
  public static let summary = "Checks log files and reports their contents and any damage."
  public static let usage = "verify [--json] [--workers N] PATH..."
  public static let discussion = """
    Reads each log file the way 'clicktrail report' does and prints, per file, the gzip \
    members, the lines, the events by type and each problem with its location, then a \
    summary. PATH is a log file, a folder (searched recursively for .tsv.gz and .tsv \
    files) or a glob pattern.

    Exit status: 0 when every file is sound, 2 when damage was found (the damaged parts are \
    listed; everything sound was still read), 1 when the check could not run, 64 on a usage \
    error.
    """
  public static let options: [OptionSpec] = [
    .flag(
      "json",
      help: "Prints one JSON object instead of text: the totals and a 'files' array with the "
        + "same counts per file and the list of problems."),
    .value(
      "workers", "N",
      help: "Sets the number of threads that inflate and parse members. The default is the "
        + "number of processor cores."),
  ]

  let paths: [String]
  let json: Bool
  let workers: Int?

  public init(arguments: ParsedArguments) throws(UsageError) {
    guard !arguments.positionals.isEmpty else {
      throw UsageError("missing PATH: give at least one log file, folder or glob")
    }
    paths = arguments.positionals
    json = arguments.flag("json")
    if let text = arguments.value("workers") {
      guard let count = Int(text), (1...256).contains(count) else {
        throw UsageError("invalid --workers '\(text)': expected a whole number from 1 to 256")
      }
      workers = count
    } else {
      workers = nil
    }
  }

  public func run(console: Console) throws(CommandFailure) -> ExitStatus {
    let files: [String]
    do {
      files = try LogPathExpander.expand(paths)
    } catch {
      throw CommandFailure("\(error)")
    }
    var options = LogReadOptions()
    if let workers { options.workers = workers }
    let result = LogReader.read(paths: files, options: options, into: VerifyCountingSink.self)
    let report = VerificationReport(files: result.files)
    if json {
      console.writeOutput(report.json())
    } else {
      report.writeText { console.writeOutput($0) }
    }
    return report.problems == 0 ? .success : .damagedInput
  }
}

/// A sink that keeps nothing: verification needs only the reader's per-file counts.
struct VerifyCountingSink: LogRecordSink {
  mutating func consume(_ record: LogRecord) {}
  /// Takes a checked line without making its record: the reader has counted it.
  mutating func consume(line: LogLine) {}
  mutating func merge(_ other: VerifyCountingSink) {}
}
