import ClicktrailLog
import Foundation

/// The totals and per-file results of `clicktrail verify`, rendered as text or JSON.
struct VerificationReport {
  let files: [LogFileSummary]

  var members: Int { files.reduce(0) { $0 + $1.members } }
  var lines: Int { files.reduce(0) { $0 + $1.lines } }
  var events: Int { files.reduce(0) { $0 + $1.events } }
  var problems: Int { files.reduce(0) { $0 + $1.problemCount } }

  // MARK: - Text

  /// Renders one block per file, each problem as `path:line: warning: ...`, and a summary.
  func text() -> String {
    var text = ""
    writeText { text += $0 }
    return text
  }

  /// Passes the text report to `write` one file block at a time, so that no single string
  /// holds the report of many files.
  func writeText(_ write: (String) -> Void) {
    for file in files {
      var block = "\(file.path): \(Self.describe(file))\n"
      for problem in file.problems {
        block += Self.diagnostic(problem, path: file.path) + "\n"
      }
      if file.omittedProblems > 0 {
        block += "\(file.path): warning: \(Self.plural(file.omittedProblems, "more problem")) "
        block += "not listed (only the first \(file.problems.count) are)\n"
      }
      write(block)
    }
    let damaged = files.filter { $0.problemCount > 0 }.count
    var text = "Summary: \(Self.plural(files.count, "file")), \(Self.plural(members, "member")), "
    text += "\(Self.plural(lines, "line")), \(Self.plural(events, "event")), "
    text += "\(Self.plural(problems, "problem"))"
    text += problems == 0 ? ".\n" : " in \(Self.plural(damaged, "file")).\n"
    write(text)
  }

  private static func describe(_ file: LogFileSummary) -> String {
    if file.problems.contains(where: { $0.kind == .unreadableFile }) {
      return "unreadable, \(plural(file.lines, "line")) read, \(plural(file.events, "event"))"
    }
    var parts: [String] = []
    if let stream = file.stream {
      let version = file.formatVersion.map { " v\($0)" } ?? ""
      parts.append("\(stream.rawValue)\(version)")
    } else {
      parts.append("unknown stream")
    }
    parts.append(file.compressed ? plural(file.members, "member") : "uncompressed")
    parts.append(plural(file.lines, "line"))
    var events = plural(file.events, "event")
    let byType = file.eventsByType.sorted { $0.key < $1.key }.filter { $0.value > 0 }
    if !byType.isEmpty {
      events += " (" + byType.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }
    parts.append(events)
    return parts.joined(separator: ", ")
  }

  /// Formats a problem in the compiler style that editors and CI logs recognise.
  static func diagnostic(_ problem: LogProblem, path: String) -> String {
    var location = path
    if let line = problem.line { location += ":\(line)" }
    var text = "\(location): warning: \(problem.message)"
    if let start = problem.startOffset, let end = problem.endOffset, end > start {
      text += " (bytes \(start) to \(end - 1))"
    }
    return text
  }

  private static func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }

  // MARK: - JSON

  /// Renders one JSON object: the totals at the top level (and again under `totals`, where
  /// `files` is a count), the `files` array with the same counts per file, and each file's
  /// problems under `problem_list`, which lists the first `LogFileSummary.maxListedProblems`
  /// and counts the rest under `problems_omitted`.
  func json() -> String {
    let document = Document(
      files: files.map(FileEntry.init), members: members, lines: lines, events: events,
      problems: problems,
      totals: Totals(
        files: files.count, members: members, lines: lines, events: events, problems: problems))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  private struct Document: Encodable {
    let files: [FileEntry]
    let members: Int
    let lines: Int
    let events: Int
    let problems: Int
    let totals: Totals
  }

  private struct Totals: Encodable {
    let files: Int
    let members: Int
    let lines: Int
    let events: Int
    let problems: Int
  }

  private struct FileEntry: Encodable {
    let path: String
    let stream: String?
    let compressed: Bool
    let formatVersion: Int?
    let bytes: Int
    let members: Int
    let lines: Int
    let events: Int
    let eventsByType: [String: Int]
    let problems: Int
    let problemList: [LogProblem]
    let problemsOmitted: Int

    init(_ file: LogFileSummary) {
      path = file.path
      stream = file.stream?.rawValue
      compressed = file.compressed
      formatVersion = file.formatVersion
      bytes = file.bytes
      members = file.members
      lines = file.lines
      events = file.events
      eventsByType = file.eventsByType
      problems = file.problemCount
      problemList = file.problems
      problemsOmitted = file.omittedProblems
    }
  }
}
