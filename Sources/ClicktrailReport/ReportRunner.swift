import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSends
import Foundation

/// Runs a whole report: selects the log files, reads them on every core, builds the tables
/// and writes the output folder atomically.
public struct ReportRunner {
  /// The report's inputs, validated by the command line before any log is read.
  public struct Inputs: Sendable {
    public var paths: [String]
    public var settings: ReportSettings
    public var cataloguePath: String?
    public var sendsPath: String?
    public var outputPath: String
    public var workers: Int = LogReadOptions.activeProcessorCount
    /// Called from the reading threads as files are read; nil for none.
    public var progress: (@Sendable (LogReadProgress) -> Void)?

    public init(paths: [String], settings: ReportSettings, outputPath: String) {
      self.paths = paths
      self.settings = settings
      self.outputPath = outputPath
    }
  }

  /// A report that could not be made; the message names the file and the fix.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public let description: String
  }

  let inputs: Inputs
  let classifier: DeviceClassifier

  public init(inputs: Inputs, classifier: DeviceClassifier) {
    self.inputs = inputs
    self.classifier = classifier
  }

  /// Finds `catalogue.json` and the gateway export in the folders given as paths, as
  /// SampleLogs/ contains them, when no flag names them.
  public static func discover(in paths: [String]) -> (catalogue: String?, sends: String?) {
    var catalogue: String?
    var sends: String?
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        isDirectory.boolValue
      else { continue }
      let candidate = (path as NSString).appendingPathComponent("catalogue.json")
      if catalogue == nil && FileManager.default.fileExists(atPath: candidate) {
        catalogue = candidate
      }
      for name in ["gateway-export.csv.gz", "gateway-export.csv", "sends.csv"] {
        let candidate = (path as NSString).appendingPathComponent(name)
        if sends == nil && FileManager.default.fileExists(atPath: candidate) { sends = candidate }
      }
    }
    return (catalogue, sends)
  }

  /// The outcome of a run.
  public struct Result {
    public var output: ReportBuilder.Output
    public var files: [LogFileSummary]
    public var sendsProblems: [String]
  }

  /// Reads, builds and writes the report.
  /// - Throws: `Failure` when an input cannot be read or the output cannot be written; the
  ///   previous report is then left as it was.
  public func run() throws(Failure) -> Result {
    let read = try build(periods: [inputs.settings])
    try ReportOutput(inputs: inputs, catalogue: read.catalogue).write(read.outputs[0])
    return Result(output: read.outputs[0], files: read.files, sendsProblems: read.sendsProblems)
  }

  /// The reports of several periods built from one reading of the logs.
  public struct PeriodsResult {
    /// One output per period, in the order given.
    public var outputs: [ReportBuilder.Output]
    public var files: [LogFileSummary]
    public var sendsProblems: [String]
    public var catalogue: Catalogue?
  }

  /// Reads the logs once, for the union of the files that each period needs, and builds
  /// the report of every period from them. `inputs.settings` only gives the defaults.
  public func build(periods: [ReportSettings]) throws(Failure) -> PeriodsResult {
    var catalogue: Catalogue?
    if let path = inputs.cataloguePath {
      do {
        catalogue = try Catalogue.load(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw Failure(
          description: "the catalogue \(path) is invalid: "
            + error.problems.joined(separator: "; "))
      }
    }
    var sendsByPeriod: [SendsTable?] = []
    var sendsProblems: [String] = []
    for settings in periods {
      let sends = try readSends(settings: settings, catalogue: catalogue)
      sendsByPeriod.append(sends)
      for problem in sends?.problems ?? [] {
        let text = "\(problem.path):\(problem.line): warning: \(problem.reason)"
        if !sendsProblems.contains(text) { sendsProblems.append(text) }
      }
    }
    var paths: [String] = []
    var selections: [(paths: [String], postbacksThrough: String)] = []
    for settings in periods {
      let selection = try selectFiles(catalogue: catalogue, settings: settings)
      selections.append(selection)
      let known = Set(paths)
      paths += selection.paths.filter { !known.contains($0) }
    }
    var options = LogReadOptions()
    options.workers = inputs.workers
    options.progress = inputs.progress
    let read = LogReader.read(paths: paths, options: options, into: ReportSink.self)
    var start = ReportAccounting()
    start.files = read.files.count
    for file in read.files {
      start.linesRead += file.lines
      start.events += file.events
      start.problems += file.problemCount
      if file.problemCount > 0 { start.damagedFiles.append(file.path) }
    }
    start.linesNotEvents = start.linesRead - start.events
    var outputs: [ReportBuilder.Output] = []
    for (index, settings) in periods.enumerated() {
      let sends = sendsByPeriod[index]
      var accounting = start
      accounting.postbacksReadThrough = selections.map(\.postbacksThrough).max() ?? ""
      accounting.sendsOutsideRange = sends?.outsideRangeRows ?? 0
      accounting.sendsCoverWholeFile = sends?.coversWholeFile ?? false
      var builder = ReportBuilder(
        settings: settings, catalogue: catalogue, sends: sends, classifier: classifier)
      builder.workers = inputs.workers
      outputs.append(builder.build(read.sink, accounting: accounting))
    }
    return PeriodsResult(
      outputs: outputs, files: read.files, sendsProblems: sendsProblems, catalogue: catalogue)
  }

  private func readSends(
    settings: ReportSettings, catalogue: Catalogue?
  ) throws(Failure) -> SendsTable? {
    guard let path = inputs.sendsPath else { return nil }
    guard let catalogue else {
      throw Failure(description: "--sends needs the catalogue to map links to segments")
    }
    var window: Range<Int64>?
    if let from = settings.from, let to = settings.to {
      let calendar = LocalCalendar(timeZone: settings.timeZone)
      window = calendar.startOfDay(from)..<calendar.startOfDay(to.adding(days: 1))
    }
    do {
      return try SendsReader.read(path: path, catalogue: catalogue, sentWithin: window)
    } catch {
      throw Failure(description: error.description)
    }
  }

  /// Expands the paths and, when the report has a date range, keeps only the date folders
  /// that can hold its events: clicks from the day before `from` to the day after `to`
  /// (UTC folders against local days), postbacks until the longest attribution window after
  /// `to` has passed.
  func selectFiles(catalogue: Catalogue?, settings: ReportSettings) throws(Failure) -> (
    paths: [String], postbacksThrough: String
  ) {
    let expanded: [String]
    do {
      expanded = try LogPathExpander.expand(inputs.paths)
    } catch {
      throw Failure(description: "\(error)")
    }
    let logFiles = expanded.filter {
      let name = ($0 as NSString).lastPathComponent
      return name != "catalogue.json" && !name.hasPrefix("gateway-export") && name != "sends.csv"
    }
    guard let from = settings.from, let to = settings.to else {
      return (logFiles, "")
    }
    let window = Int64((catalogue?.campaigns.map(\.attributionWindowDays).max()) ?? 30)
    // Dates compare as dates: a range ending late in year 9999 reaches year 10000, which
    // sorts before 2026 as text.
    let clicksFirst = from.adding(days: -1)
    let clicksLast = to.adding(days: 1)
    let postbacksLast = to.adding(days: window + 1)
    let selected = logFiles.filter { path in
      guard let name = LogFileLayout.parse(fileName: (path as NSString).lastPathComponent),
        let date = LocalDate(parsing: name.date)
      else {
        return true
      }
      let last = name.stream == .clicks ? clicksLast : postbacksLast
      return !(date < clicksFirst) && !(last < date)
    }
    return (selected, postbacksLast.description)
  }
}
