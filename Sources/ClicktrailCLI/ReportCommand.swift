import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailReport
import Foundation

/// `clicktrail report`: joins the logs by click ID and writes the report folder.
public struct ReportCommand: Subcommand {
  public static let name = "report"
  public static let summary = "Joins the logs and writes the CSV and HTML report."
  public static let usage =
    "report [--from DATE] [--to DATE] [--tz ZONE] [--catalogue FILE] [--sends FILE] "
    + "[--by PARAM,PARAM] [--conversion-day visit|postback] [--out DIR] PATH..."
  public static let discussion = """
    Reads the clicks and postbacks logs under PATH (log roots, folders, files or glob \
    patterns, gzip or plain), joins visits, clicks and postbacks by click ID, and writes \
    one CSV per table, index.html and summary.json into the output folder. The folder is \
    replaced as a whole, so a failed run leaves the previous report as it was. \
    docs/metrics.md defines every column.

    When a PATH folder holds catalogue.json and gateway-export.csv(.gz), as SampleLogs/ \
    does, they are used without flags. Postbacks are read up to the longest attribution \
    window after --to.

    Exit status: 0 when the report was written from sound logs, 2 when it was written but \
    some input was damaged (listed on standard error), 1 when it could not be written, 64 \
    on a usage error.
    """
  public static let options: [OptionSpec] = [
    .value(
      "from", "DATE",
      help: "Sets the first day reported, YYYY-MM-DD in the report's time zone. The default "
        + "is the first day in the logs."),
    .value(
      "to", "DATE",
      help: "Sets the last day reported, inclusive. The default is the last day in the logs."),
    .value(
      "tz", "ZONE",
      help: "Sets the time zone of days and hours, an IANA name such as Europe/Berlin. The "
        + "default is UTC."),
    .value(
      "catalogue", "FILE",
      help: "Sets the campaign catalogue, for sources, cost models, default payouts and "
        + "attribution windows."),
    .value(
      "sends", "FILE",
      help: "Sets the gateway's message export or an aggregated sends CSV, for sends, SMS "
        + "CTR and per-message cost (docs/sends.md)."),
    .value(
      "by", "PARAM,PARAM", repeatable: true,
      help: "Adds a table by a combination of custom parameters, such as gender,age. May be "
        + "given more than once."),
    .value(
      "conversion-day", "DAY",
      help: "Sets the day a conversion counts on in the day and hour tables: visit (the "
        + "default) or postback."),
    .value("out", "DIR", help: "Sets the output folder. The default is Reports."),
    .value(
      "workers", "N",
      help: "Sets the number of threads that read the logs. The default is the number of "
        + "cores."),
  ]

  let inputs: ReportRunner.Inputs

  public init(arguments: ParsedArguments) throws(UsageError) {
    let zone = try Self.timeZone(arguments)
    func date(_ name: String) throws(UsageError) -> LocalDate? {
      guard let text = arguments.value(name) else { return nil }
      guard let date = LocalDate(parsing: text) else {
        throw UsageError("invalid --\(name) '\(text)': expected a date as YYYY-MM-DD")
      }
      return date
    }
    var from = try date("from")
    var to = try date("to")
    if from != nil || to != nil {
      from = from ?? LocalDate(year: 1970, month: 1, day: 1)
      to = to ?? LocalDate(year: 9999, month: 12, day: 31)
    }
    if let from, let to, to < from {
      throw UsageError(
        "--to \(to) is before --from \(from): the range must not end before it starts")
    }
    let settings = ReportSettings(from: from, to: to, timeZone: zone.zone, timeZoneName: zone.name)
    inputs = try Self.inputs(arguments, settings: settings, defaultOut: "Reports")
  }

  /// Checks that PATH is given and returns the `--tz` zone and its name.
  static func timeZone(_ arguments: ParsedArguments) throws(UsageError) -> (
    zone: TimeZone, name: String
  ) {
    guard !arguments.positionals.isEmpty else {
      throw UsageError("missing PATH: give at least one log root, folder, file or glob")
    }
    let zoneName = arguments.value("tz") ?? "UTC"
    guard let zone = TimeZone(identifier: zoneName) else {
      throw UsageError(
        "unknown time zone '\(zoneName)': give an IANA name such as UTC or Europe/Berlin")
    }
    return (zone, zoneName)
  }

  /// Validates the options that report and compare share, after the range: `--by`,
  /// `--conversion-day`, the catalogue and sends, `--workers` and `--out`.
  static func inputs(
    _ arguments: ParsedArguments, settings start: ReportSettings, defaultOut: String
  ) throws(UsageError) -> ReportRunner.Inputs {
    var settings = start
    for text in arguments.values["by"] ?? [] {
      let names = text.split(separator: ",").map(String.init)
      guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }), Set(names).count == names.count
      else {
        throw UsageError(
          "invalid --by '\(text)': expected distinct parameter names separated by commas")
      }
      settings.combinations.append(names)
    }
    switch arguments.value("conversion-day") ?? "visit" {
    case "visit": settings.conversionsOnPostbackDay = false
    case "postback": settings.conversionsOnPostbackDay = true
    case let other:
      throw UsageError("invalid --conversion-day '\(other)': expected visit or postback")
    }
    var inputs = ReportRunner.Inputs(
      paths: arguments.positionals, settings: settings,
      outputPath: arguments.value("out") ?? defaultOut)
    let discovered = ReportRunner.discover(in: arguments.positionals)
    inputs.cataloguePath = arguments.value("catalogue") ?? discovered.catalogue
    inputs.sendsPath = arguments.value("sends") ?? discovered.sends
    if let text = arguments.value("workers") {
      guard let workers = Int(text), (1...256).contains(workers) else {
        throw UsageError("invalid --workers '\(text)': expected a whole number from 1 to 256")
      }
      inputs.workers = workers
    }
    if let path = inputs.cataloguePath, !settings.combinations.isEmpty,
      let catalogue = try? Catalogue.load(contentsOf: URL(fileURLWithPath: path))
    {
      let known = Set(catalogue.trafficSources.flatMap(\.parameters))
      for name in settings.combinations.joined() where !known.contains(name) {
        throw UsageError(
          "invalid --by: '\(name)' is not a parameter of any traffic source in \(path); known: "
            + known.sorted().joined(separator: ", "))
      }
    }
    try Self.checkWritable(inputs.outputPath)
    try Self.checkReplaceable(
      inputs.outputPath, inputs: arguments.positionals,
      isOwnFile: defaultOut == "Comparison" ? isComparisonFile : isReportFile)
    return inputs
  }

  public func run(console: Console) throws(CommandFailure) -> ExitStatus {
    var inputs = self.inputs
    if console.errorIsTerminal {
      inputs.progress = ProgressBar(console: console).update
    }
    let runner = ReportRunner(inputs: inputs, classifier: ReportClassifiers.make(console: console))
    let result: ReportRunner.Result
    do {
      result = try runner.run()
    } catch {
      throw CommandFailure(error.description)
    }
    Self.writeInputProblems(files: result.files, sends: result.sendsProblems, console: console)
    if result.output.accounting.sendsCoverWholeFile, let sends = inputs.sendsPath {
      console.writeError(
        "\(sends): warning: the file has no dates, so its sends and per-message costs cover "
          + "the whole file, not --from to --to\n")
    }
    let accounting = result.output.accounting
    console.writeError(
      "report: \(accounting.files) files, \(accounting.linesRead) lines read = "
        + "\(accounting.events) events + \(accounting.linesNotEvents) headers and rejected "
        + "lines; \(accounting.visitsInRange) visits, \(accounting.conversions) conversions; "
        + "\(accounting.damagedFiles.count) damaged files; written to \(inputs.outputPath)\n")
    let damaged = !accounting.damagedFiles.isEmpty || !result.sendsProblems.isEmpty
    return damaged ? .damagedInput : .success
  }

  /// Clears the progress line, then writes each damaged log's problems and each bad row of
  /// the sends file as `path:line: warning: ...`; report and compare share it.
  static func writeInputProblems(files: [LogFileSummary], sends: [String], console: Console) {
    if console.errorIsTerminal { console.writeError("\r\u{1B}[K") }
    for file in files where file.problemCount > 0 {
      for problem in file.problems {
        console.writeError(VerificationReport.diagnostic(problem, path: file.path) + "\n")
      }
      if file.omittedProblems > 0 {
        console.writeError("\(file.path): warning: \(file.omittedProblems) more problems\n")
      }
    }
    for problem in sends { console.writeError(problem + "\n") }
  }

  /// Returns whether `name` is a file a report writes; an existing output folder may
  /// contain nothing else.
  static func isReportFile(_ name: String) -> Bool {
    (name.hasSuffix(".csv") && !name.hasPrefix("compare-")) || name == "index.html"
      || name == "summary.json"
  }

  /// Returns whether `name` is a file a comparison writes; an existing output folder may
  /// contain nothing else.
  static func isComparisonFile(_ name: String) -> Bool {
    (name.hasPrefix("compare-") && name.hasSuffix(".csv")) || name == "index.html"
  }

  /// Rejects an output folder whose replacement would destroy anything but an earlier
  /// output of the same command: the current folder, a folder holding the inputs, or one
  /// with other files.
  static func checkReplaceable(
    _ path: String, inputs: [String], isOwnFile: (String) -> Bool = isReportFile
  ) throws(UsageError) {
    let manager = FileManager.default
    let output = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    let current = URL(fileURLWithPath: manager.currentDirectoryPath).resolvingSymlinksInPath().path
    guard output != current, output != "/", !current.hasPrefix(output + "/") else {
      throw UsageError(
        "invalid --out '\(path)': the report replaces its output folder as a whole, so it "
          + "cannot be the current folder or one that contains it; give a new folder")
    }
    for input in inputs {
      let resolved = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path
      if resolved == output || resolved.hasPrefix(output + "/") || output.hasPrefix(resolved + "/")
      {
        throw UsageError(
          "invalid --out '\(path)': it overlaps the input '\(input)'; give a folder apart "
            + "from the logs")
      }
    }
    guard let names = try? manager.contentsOfDirectory(atPath: output) else { return }
    if let foreign = names.sorted().first(where: { !isOwnFile($0) }) {
      throw UsageError(
        "invalid --out '\(path)': it holds '\(foreign)', which this command did not write, "
          + "and the folder would be replaced as a whole; give a new or empty folder or an "
          + "earlier output of the same command")
    }
  }

  /// Rejects an output folder that cannot be created or written, before any log is read.
  static func checkWritable(_ path: String) throws(UsageError) {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let parent = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw UsageError("invalid --out '\(path)': the folder \(parent) does not exist")
    }
    // A real folder is made and removed, because access(2) grants root write access even
    // where the file system rejects writes, as in /proc or on a read-only mount.
    let probe = parent + "/.clicktrail-write-check-\(getpid())"
    guard mkdir(probe, 0o700) == 0 else {
      let reason = String(cString: strerror(errno))
      throw UsageError("invalid --out '\(path)': cannot write in \(parent) (\(reason))")
    }
    rmdir(probe)
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
      !isDirectory.boolValue
    {
      throw UsageError("invalid --out '\(path)': it is a file; give a folder")
    }
  }
}
