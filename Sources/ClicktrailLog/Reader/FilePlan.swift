/// The plan for one file: its summary from a first look, and the tasks that read the rest.
struct FilePlan: Sendable {
  var summary: LogFileSummary
  var tasks: [ReadTask] = []

  /// Opens `path`, indexes its members when it has `CT` subfields, finds its header and
  /// splits the reading into tasks of about `options.chunkBytes` compressed bytes.
  /// - Complexity: O(m) small reads for m members, plus inflating the header's member.
  init(path: String, file fileIndex: Int, options: LogReadOptions) {
    summary = LogFileSummary(path: path)
    do throws(LogReadFailure) {
      let file = try LogFileHandle(path: path)
      summary.bytes = file.size
      guard file.size > 0 else {
        summary.problems.append(LogProblem(kind: .emptyFile, message: "the file is empty"))
        return
      }
      func task(_ work: ReadTask.Work, _ schema: LogSchema?, _ mode: HeaderMode) -> ReadTask {
        ReadTask(file: fileIndex, path: path, work: work, schema: schema, headerMode: mode)
      }
      switch try file.parseMemberHeader(at: 0) {
      case .notGzip:
        tasks = [task(.plain, nil, .parse)]
      case .header(let first) where first.memberLength != nil:
        summary.compressed = true
        summary.formatVersion = first.formatVersion.map(Int.init)
        let index = try MemberIndex(file: file, first: first)
        var probe = HeaderProbe(file: file, maxLineBytes: options.maxLineBytes)
        let found = try probe.find(in: index)
        summary.stream = found.schema?.stream
        if let problem = found.problem { summary.problems.append(problem) }
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
      case .header, .needMoreBytes, .invalid:
        summary.compressed = true
        tasks = [task(.gzipStream(offset: 0, firstMember: 0), nil, .parse)]
      }
    } catch {
      summary.problems.append(
        LogProblem(kind: .unreadableFile, message: "cannot read the file: \(error)"))
    }
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
