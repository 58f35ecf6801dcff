/// The plan for one file: its summary from a first look, and the tasks that read the rest.
struct FilePlan: Sendable {
  var summary: LogFileSummary
  var tasks: [ReadTask] = []
  /// The file name's stream and hour, when the name follows the writer's layout.
  let fileName: LogFileName?

  /// Opens `path`, indexes its members when it has `CT` subfields, finds its header and
  /// splits the reading into tasks of about `options.chunkBytes` compressed bytes.
  /// - Complexity: O(m) small reads for m members, plus inflating the header's member.
  init(path: String, file fileIndex: Int, options: LogReadOptions) {
    summary = LogFileSummary(path: path)
    let name = LogFileLayout.parse(fileName: String(path.split(separator: "/").last ?? ""))
    fileName = name
    do throws(LogReadFailure) {
      let file = try LogFileHandle(path: path)
      summary.bytes = file.size
      guard file.size > 0 else {
        summary.problems.append(LogProblem(kind: .emptyFile, message: "the file is empty"))
        return
      }
      func task(_ work: ReadTask.Work, _ schema: LogSchema?, _ mode: HeaderMode) -> ReadTask {
        ReadTask(
          file: fileIndex, path: path, work: work, schema: schema, headerMode: mode,
          hour: name?.hourMilliseconds)
      }
      switch try Self.layout(of: file) {
      case .plain:
        tasks = [task(.plain, nil, .parse)]
      case .gzipStream:
        summary.compressed = true
        tasks = [task(.gzipStream(offset: 0, firstMember: 0), nil, .parse)]
      case .indexed(let first, let start):
        summary.compressed = true
        summary.formatVersion = first.formatVersion.map(Int.init)
        let index = try MemberIndex(file: file, first: first, at: start)
        var probe = HeaderProbe(file: file, maxLineBytes: options.maxLineBytes)
        let found = try probe.find(in: index)
        summary.stream = found.schema?.stream
        if let problem = found.problem { summary.problems.append(problem) }
        if let stream = found.schema?.stream,
          let problem = Self.streamMismatch(in: index.entries, stream: stream)
        {
          summary.problems.append(problem)
        }
        tasks = Self.chunks(index.entries, bytes: options.chunkBytes).map { chunk in
          let mode = chunk.entries.contains(found.entry) ? found.mode : .none
          if case .unindexed = index.entries[chunk.entries.lowerBound].kind {
            let offset = index.entries[chunk.entries.lowerBound].offset
            return task(
              .gzipStream(offset: offset, firstMember: chunk.firstMember), found.schema, mode)
          }
          let entries = Array(index.entries[chunk.entries])
          return task(.members(entries, firstMember: chunk.firstMember), found.schema, mode)
        }
      }
    } catch {
      summary.stream = nil
      summary.compressed = false
      summary.problems.append(
        LogProblem(kind: .unreadableFile, message: "cannot read the file: \(error)"))
    }
  }

  /// The reading path chosen for a file.
  private enum Layout {
    /// Plain text: no gzip header anywhere.
    case plain
    /// Gzip members without `CT` subfields, streamed from the start.
    case gzipStream
    /// Members with `CT` subfields, the first of which starts at `start`.
    case indexed(GzipMemberHeader, start: Int)
  }

  /// Decides how to read `file`. A file is indexed when a member header with a `CT`
  /// subfield lies anywhere in it, so that a damaged first header or junk before the first
  /// member loses only those bytes. A file that starts with a valid gzip header without
  /// `CT` is streamed as `gzip -dc` would. Only a file with no gzip header at all is text.
  /// - Complexity: O(1) reads for a sound file; a memchr-speed scan otherwise.
  private static func layout(of file: LogFileHandle) throws(LogReadFailure) -> Layout {
    let start = try file.parseMemberHeader(at: 0)
    if case .header(let header) = start {
      return header.memberLength != nil ? .indexed(header, start: 0) : .gzipStream
    }
    var sawGzip = false
    let found = try file.scanForHeader(from: 1, before: file.size) { header in
      sawGzip = true
      return header.memberLength != nil
    }
    if let found, case .header(let header) = try file.parseMemberHeader(at: found) {
      return .indexed(header, start: found)
    }
    if case .notGzip = start, !sawGzip { return .plain }
    return .gzipStream
  }

  /// Returns a problem for the first member whose `CT` stream code is not that of `stream`,
  /// the stream of the header line, which the lines are decoded by; nil when all agree.
  private static func streamMismatch(in entries: [MemberEntry], stream: LogStream) -> LogProblem? {
    var member = 0
    for entry in entries {
      defer { if entry.isMember { member += 1 } }
      guard let code = entry.streamCode, code != stream.code else { continue }
      let named = LogStream(code: code).map { "'\($0.rawValue)'" } ?? "unknown"
      return LogProblem(
        kind: .streamMismatch, startOffset: entry.offset, endOffset: entry.end, member: member,
        message: "member \(member) has the \(named) stream code \(code) but the header is "
          + "'\(stream.rawValue)'; its lines are decoded by the header")
    }
    return nil
  }

  /// Groups consecutive entries into runs of about `bytes` compressed bytes; an unindexed
  /// entry is a run of its own. The runs depend only on the file, never on the workers.
  private static func chunks(
    _ entries: [MemberEntry], bytes: Int
  ) -> [(entries: Range<Int>, firstMember: Int)] {
    var chunks: [(entries: Range<Int>, firstMember: Int)] = []
    var start = 0
    var size = 0
    var members = 0
    var firstMember = 0
    for (position, entry) in entries.enumerated() {
      if case .unindexed = entry.kind, position > start {
        chunks.append((start..<position, firstMember))
        start = position
        size = 0
        firstMember = members
      }
      size += entry.length
      if entry.isMember { members += 1 }
      let alone: Bool
      if case .unindexed = entry.kind { alone = true } else { alone = false }
      if size >= bytes || alone || position == entries.count - 1 {
        chunks.append((start..<(position + 1), firstMember))
        start = position + 1
        size = 0
        firstMember = members
      }
    }
    return chunks
  }
}
