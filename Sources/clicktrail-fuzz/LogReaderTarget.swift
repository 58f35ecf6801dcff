import ClicktrailLog

/// Reads the input as a log file with `LogReader`, as `clicktrail report` and `verify` do.
///
/// The first byte chooses the file name: none of the writer's layout, a clicks hour or a
/// postbacks hour, so that the routing checks run too. The rest is the file. It is read
/// twice, by one worker in runs of members of at most 64 compressed bytes and by two workers
/// in runs of 4 MiB, and both reads must agree, because the reader promises results that do
/// not depend on threads and its runs split only between members.
enum LogReaderTarget {
  static let names = [
    "fuzz.tsv.gz", "clicks-2026-11-05T09-sim-1-000.tsv.gz",
    "postbacks-2026-11-05T09-sim-1-000.tsv.gz",
  ]

  static func run(_ data: UnsafeRawBufferPointer) {
    guard let selector = data.first else { return }
    let name = names[Int(selector) % names.count]
    let path = ScratchFolder.write(UnsafeRawBufferPointer(rebasing: data.dropFirst()), name: name)
    let small = LogReader.read(
      paths: [path], options: LogReadOptions(workers: 1, chunkBytes: 64),
      into: CollectingSink.self)
    let large = LogReader.read(
      paths: [path], options: LogReadOptions(workers: 2, chunkBytes: 4 << 20),
      into: CollectingSink.self)
    FuzzCheck.require(
      small.files == large.files, "summaries differ by run size:\n\(small.files)\n\(large.files)")
    FuzzCheck.require(small.sink == large.sink, "records differ by run size")
    let summary = small.files[0]
    checkSummary(summary, records: small.sink.records, fileSize: data.count - 1)
    for record in small.sink.records { LogLineTarget.checkRoundTrip(record) }
  }

  /// Checks that the counts of a summary agree with each other and with the records.
  static func checkSummary(_ summary: LogFileSummary, records: [LogRecord], fileSize: Int) {
    FuzzCheck.require(summary.bytes == fileSize, "bytes \(summary.bytes), file \(fileSize)")
    FuzzCheck.require(
      summary.events == records.count, "events \(summary.events), records \(records.count)")
    FuzzCheck.require(
      summary.eventsByType.values.reduce(0, +) == summary.events,
      "events by type \(summary.eventsByType) do not add up to \(summary.events)")
    var byType: [String: Int] = [:]
    for record in records { byType[record.typeName, default: 0] += 1 }
    for (type, count) in byType {
      FuzzCheck.require(summary.eventsByType[type] == count, "\(type): \(summary.eventsByType)")
    }
    FuzzCheck.require(
      summary.problems.count <= LogFileSummary.maxListedProblems, "too many problems listed")
    FuzzCheck.require(summary.omittedProblems >= 0, "negative omitted problems")
    if !summary.compressed {
      FuzzCheck.require(summary.members == 0, "plain text with \(summary.members) members")
    }
    var lineProblems = 0
    for problem in summary.problems {
      if let line = problem.line {
        FuzzCheck.require(
          line >= 1 && line <= summary.lines, "problem on line \(line) of \(summary.lines)")
      }
      if [.rejectedLine, .overlongLine, .incompleteLine].contains(problem.kind) {
        lineProblems += 1
      }
      if let start = problem.startOffset, let end = problem.endOffset {
        FuzzCheck.require(
          start >= 0 && start <= end && end <= fileSize,
          "problem offsets \(start)..<\(end) in a file of \(fileSize) bytes: \(problem)")
      }
      if let member = problem.member {
        FuzzCheck.require(
          member >= 0 && member < max(1, summary.members),
          "problem in member \(member) of \(summary.members): \(problem)")
      }
    }
    // Every line is the header, an event, or a line that a problem names (the header may be
    // missing); lines are only counted once each.
    if summary.omittedProblems == 0 {
      FuzzCheck.require(
        summary.events + lineProblems <= summary.lines,
        "\(summary.events) events and \(lineProblems) line problems in \(summary.lines) lines")
    }
    if summary.events > 0 {
      FuzzCheck.require(summary.stream != nil, "events without a stream")
    }
  }
}
