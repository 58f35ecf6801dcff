/// One unit of work of a read: a run of consecutive entries of an indexed gzip file, or a
/// stretch of a file read sequentially.
struct ReadTask: Sendable {
  /// The bytes to read.
  enum Work: Sendable {
    /// Entries of the member index, whose first member has index `firstMember`.
    case members([MemberEntry], firstMember: Int)
    /// Gzip members from `offset` to the end of the file, streamed; lines may span members.
    case gzipStream(offset: Int, firstMember: Int)
    /// The whole file as plain text.
    case plain
  }

  let file: Int
  let path: String
  let work: Work
  let schema: LogSchema?
  let headerMode: HeaderMode
  /// The Unix milliseconds of the hour the file name gives, when it gives one.
  let hour: Range<Int64>?

  /// The compressed bytes this task covers, for progress: its members' lengths, or the rest
  /// of a file of `fileBytes` bytes read sequentially.
  func compressedBytes(fileBytes: Int) -> Int {
    switch work {
    case .members(let entries, _): entries.reduce(0) { $0 + $1.length }
    case .gzipStream(let offset, _): max(0, fileBytes - offset)
    case .plain: fileBytes
    }
  }
}

/// The counts, problems and sink of one task. Line numbers count from 1 within the task.
struct ReadTaskOutcome<Sink: LogRecordSink>: Sendable {
  var lines = 0
  var events = 0
  var eventsByType: [String: Int] = [:]
  var problems: [LogProblem] = []
  var omittedProblems = 0
  var members = 0
  var stream: LogStream?
  var misrouted = LogFileSummary.Misrouted()
  var sink = Sink()
}

extension ReadTask {
  /// Reads the task's bytes, decodes their lines and returns what it found.
  func run<Sink: LogRecordSink>(options: LogReadOptions, into: Sink.Type) -> ReadTaskOutcome<
    Sink
  > {
    var assembler = LineAssembler<Sink>(
      schema: schema, headerMode: headerMode, maxLineBytes: options.maxLineBytes, hour: hour)
    var members = 0
    do throws(LogReadFailure) {
      let file = try LogFileHandle(path: path)
      switch work {
      case .members(let entries, let firstMember):
        var reader = MemberReader(file: file)
        for entry in entries {
          try reader.read(entry, index: firstMember + members, into: &assembler)
          if entry.isMember { members += 1 }
        }
      case .gzipStream(let offset, let firstMember):
        var reader = GzipStreamReader(file: file)
        members = try reader.read(from: offset, firstMember: firstMember, into: &assembler)
      case .plain:
        try PlainTextReader.read(file, into: &assembler)
      }
    } catch {
      assembler.report(
        LogProblem(kind: .unreadableFile, message: "cannot read the file: \(error)"))
    }
    return ReadTaskOutcome(
      lines: assembler.lines, events: assembler.events, eventsByType: assembler.eventsByType,
      problems: assembler.problems, omittedProblems: assembler.omittedProblems, members: members,
      stream: assembler.schema?.stream, misrouted: assembler.misrouted,
      sink: assembler.sink)
  }
}

/// Reads a file of plain text in pieces of 1 MiB.
enum PlainTextReader {
  /// Feeds every byte of `file` to `assembler`.
  /// - Complexity: O(n) in the file's size, with O(1) memory beyond the longest line.
  static func read<Sink>(
    _ file: LogFileHandle, into assembler: inout LineAssembler<Sink>
  ) throws(LogReadFailure) {
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var offset = 0
    while true {
      let count = try file.read(at: offset, into: &buffer)
      if count == 0 { break }
      buffer.withUnsafeBytes { assembler.feed(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
      offset += count
    }
    assembler.endOfData()
  }
}
