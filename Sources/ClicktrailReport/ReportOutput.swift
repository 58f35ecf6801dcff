import ClicktrailCatalogue
import ClicktrailSupport
import Foundation

/// Writes a report's files into its output folder atomically: everything goes to a new
/// sibling folder first, which then takes the output folder's place, so a failed run leaves
/// the previous report as it was and cron never sees half a report.
struct ReportOutput {
  let inputs: ReportRunner.Inputs
  let catalogue: Catalogue?

  /// Returns every file of the report by name.
  func files(_ output: ReportBuilder.Output) -> [(name: String, text: String)] {
    var files: [(String, String)] = []
    for table in output.tables {
      files.append(("\(table.name).csv", CSVWriter.csv(table)))
    }
    files.append(("postback-problems.csv", Self.problemsCSV(output.postbackProblems)))
    files.append(("summary.json", ReportSummary.json(output, inputs: inputs)))
    files.append(("index.html", HTMLReport(output: output, inputs: inputs).render()))
    return files
  }

  func write(_ output: ReportBuilder.Output) throws(ReportRunner.Failure) {
    try Self.install(files(output), at: inputs.outputPath)
  }

  /// Writes `files` into a new sibling folder, then moves it into the place of `path`.
  static func install(
    _ files: [(name: String, text: String)], at path: String
  ) throws(ReportRunner.Failure) {
    let destination = URL(fileURLWithPath: path).standardizedFileURL
    let parent = destination.deletingLastPathComponent()
    let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).new-\(getpid())")
    let previous = parent.appendingPathComponent(
      ".\(destination.lastPathComponent).old-\(getpid())")
    let manager = FileManager.default
    do {
      try? manager.removeItem(at: staging)
      try manager.createDirectory(at: staging, withIntermediateDirectories: true)
      for file in files {
        try Data(file.text.utf8).write(to: staging.appendingPathComponent(file.name))
      }
      var isDirectory: ObjCBool = false
      let exists = manager.fileExists(atPath: destination.path, isDirectory: &isDirectory)
      if exists {
        guard isDirectory.boolValue else {
          throw ReportRunner.Failure(
            description: "--out \(destination.path) is a file; give a folder")
        }
        try manager.moveItem(at: destination, to: previous)
      }
      try manager.moveItem(at: staging, to: destination)
      if exists { try? manager.removeItem(at: previous) }
    } catch let failure as ReportRunner.Failure {
      try? manager.removeItem(at: staging)
      throw failure
    } catch {
      try? manager.removeItem(at: staging)
      throw ReportRunner.Failure(
        description: "cannot write the output to \(destination.path): \(error.localizedDescription)"
      )
    }
  }

  static func problemsCSV(_ problems: [PostbackProblem]) -> String {
    var writer = CSVWriter(
      header: ["time_utc", "problem", "click_id", "txid", "status", "payout", "detail"])
    for problem in problems {
      writer.appendRow([
        .text(Logger.formatTimestamp(problem.timestamp)), .text(problem.kind.rawValue),
        .text(problem.clickID), .text(problem.transactionID), .text(problem.status),
        .number(problem.payout), .text(problem.detail),
      ])
    }
    return writer.text
  }
}

/// The machine-readable summary: inputs, totals per campaign, and the accounting.
enum ReportSummary {
  static func json(_ output: ReportBuilder.Output, inputs: ReportRunner.Inputs) -> String {
    var campaigns: [[String: String]] = []
    if let table = output.tables.first(where: { $0.name == "campaigns" }) {
      for row in table.rows {
        var entry: [String: String] = [:]
        for (index, name) in table.dimensions.enumerated() { entry[name] = row.keys[index] }
        for metric in Metric.allCases { entry[metric.rawValue] = metric.text(row.counts) }
        campaigns.append(entry)
      }
    }
    let accounting = output.accounting
    let document: [String: Any] = [
      "inputs": [
        "paths": inputs.paths, "from": inputs.settings.from?.description ?? "",
        "to": inputs.settings.to?.description ?? "",
        "time_zone": inputs.settings.timeZoneName,
        "catalogue": inputs.cataloguePath ?? "", "sends": inputs.sendsPath ?? "",
        "conversion_day": inputs.settings.conversionsOnPostbackDay ? "postback" : "visit",
      ],
      "campaigns": campaigns,
      "accounting": [
        "files": accounting.files, "damaged_files": accounting.damagedFiles,
        "lines_read": accounting.linesRead, "events": accounting.events,
        "lines_not_events": accounting.linesNotEvents, "problems": accounting.problems,
        "visits_in_range": accounting.visitsInRange,
        "visits_outside_range": accounting.visitsOutsideRange,
        "duplicate_visits": accounting.duplicateVisits,
        "clicks_joined": accounting.clicksJoined,
        "clicks_without_visit": accounting.clicksWithoutVisit,
        "previews": accounting.previews, "bots": accounting.bots,
        "postbacks": accounting.postbacks, "conversions": accounting.conversions,
        "conversions_outside_range": accounting.conversionsOutsideRange,
        "status_updates": accounting.statusUpdates,
        "postback_problems": accounting.postbackProblems,
        "distinct_user_agents": accounting.distinctUserAgents,
        "postbacks_read_through": accounting.postbacksReadThrough,
        "sends_outside_range": accounting.sendsOutsideRange,
        "sends_cover_whole_file": accounting.sendsCoverWholeFile,
      ],
    ]
    let data =
      (try? JSONSerialization.data(
        withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
