/// Reads the entries of a member index: whole members with libdeflate, checking CRC-32 and
/// ISIZE before any line is used, so that a corrupt member contributes no lines.
struct MemberReader {
  /// The largest member accepted, compressed or inflated, in bytes. The writer's members
  /// hold at most 1 MiB plus one line, so a larger one is corrupt.
  static let wholeMemberLimit = 64 << 20

  private var streamer: MemberStreamer
  private let decompressor = WholeMemberDecompressor()
  private var compressed: [UInt8] = []
  private var inflated: [UInt8] = []
  private var file: LogFileHandle { streamer.file }

  init(file: LogFileHandle) {
    streamer = MemberStreamer(file: file)
  }

  /// Feeds the lines of `entry`, the member with index `index`, to `assembler`, or reports
  /// why it has none. Each member holds whole lines: a partial line at a member's end is
  /// reported as incomplete.
  /// - Complexity: O(n) in the entry's length.
  /// - Throws: `LogReadFailure` when a read fails.
  mutating func read<Sink>(
    _ entry: MemberEntry, index: Int, into assembler: inout LineAssembler<Sink>
  ) throws(LogReadFailure) {
    switch entry.kind {
    case .member:
      try readWhole(entry, index: index, into: &assembler)
    case .truncated:
      try readTruncated(entry, index: index, into: &assembler)
    case .damaged(let reason):
      assembler.report(
        MemberDamage.corrupt(
          member: index, from: entry.offset, to: entry.end, reason: reason,
          outcome: "skipped to the next member header"))
    case .unindexed:
      var reader = GzipStreamReader(file: file)
      _ = try reader.read(from: entry.offset, firstMember: index, into: &assembler)
    case .zeros:
      if entry.end == file.size, let problem = try trailing(entry) {
        assembler.report(problem)
      } else {
        assembler.report(
          LogProblem(
            kind: .zeroPadding, startOffset: entry.offset, endOffset: entry.end,
            message: "\(entry.length) zero bytes lie between members (padding left by a "
              + "crash); skipped"))
      }
    case .garbage:
      if let problem = try trailing(entry) { assembler.report(problem) }
    case .unsupportedVersion(let version):
      assembler.report(
        MemberDamage.unsupportedVersion(
          version, member: index, from: entry.offset, to: entry.end))
    case .leading:
      assembler.report(try MemberDamage.leading(file: file, before: entry.end))
    }
  }

  private func trailing(_ entry: MemberEntry) throws(LogReadFailure) -> LogProblem? {
    try MemberDamage.trailing(file: file, from: entry.offset, to: entry.end)
  }

  // MARK: - Members

  private mutating func readWhole<Sink>(
    _ entry: MemberEntry, index: Int, into assembler: inout LineAssembler<Sink>
  ) throws(LogReadFailure) {
    func corrupt(_ reason: String) {
      assembler.report(
        MemberDamage.corrupt(
          member: index, from: entry.offset, to: entry.end, reason: reason,
          outcome: "its lines are dropped because none of them can be trusted"))
    }
    guard entry.length <= Self.wholeMemberLimit else {
      return corrupt("its length \(entry.length) exceeds the largest member a writer makes")
    }
    if compressed.count != entry.length {
      compressed = .uninitialized(count: entry.length)
    }
    let count = try file.read(at: entry.offset, into: &compressed)
    guard count == entry.length else {
      // The file shrank after it was indexed.
      return try readTruncated(entry, index: index, into: &assembler)
    }
    let inflatedSize = compressed[(count - 4)...].reversed().reduce(0) { $0 << 8 | Int($1) }
    guard inflatedSize <= Self.wholeMemberLimit else {
      return corrupt("its ISIZE \(inflatedSize) exceeds the largest member a writer makes")
    }
    let outcome = compressed.withUnsafeBytes {
      decompressor.decompress(member: $0, into: &inflated)
    }
    switch outcome {
    case .success:
      inflated.withUnsafeBytes { assembler.feed($0) }
      assembler.endOfData()
    case .failure(let reason):
      corrupt(reason)
    }
  }

  /// Reads a member that the end of the file cuts off. Its output is held back until the
  /// inflation ends: a member whose data ends and fails its CRC-32 contributes no line, and
  /// only a member truly cut off (nothing left to check) gives the lines before the cut.
  private mutating func readTruncated<Sink>(
    _ entry: MemberEntry, index: Int, into assembler: inout LineAssembler<Sink>
  ) throws(LogReadFailure) {
    var end = StreamedMemberEnd.cutOff
    var output: [UInt8] = []
    var overflow = false
    if case .header(let header) = try file.parseMemberHeader(at: entry.offset) {
      end = try streamer.inflate(from: entry.offset + header.headerLength, limit: entry.end) {
        if output.count + $0.count > Self.wholeMemberLimit {
          overflow = true
        } else if !overflow {
          output.append(contentsOf: $0)
        }
      }
    }
    let reason: String
    switch end {
    case _ where overflow:
      reason = "its data inflates past the largest member a writer makes"
    case .sound:
      output.withUnsafeBytes { assembler.feed($0) }
      assembler.endOfData()
      assembler.report(
        MemberDamage.corrupt(
          member: index, from: entry.offset, to: entry.end,
          reason: "its length runs past the end of the file though its data is whole",
          outcome: "its lines pass CRC-32 and ISIZE and are kept"))
      return
    case .checksumMismatch:
      reason = "CRC-32 or ISIZE mismatch"
    case .dataError(let message):
      reason = message
    case .cutOff:
      let linesBefore = assembler.lines
      output.withUnsafeBytes { assembler.feed($0) }
      let dropped = assembler.dropPartialLine()
      assembler.report(
        MemberDamage.truncated(
          member: index, from: entry.offset, to: entry.end,
          keptLines: assembler.lines - linesBefore, droppedBytes: dropped))
      return
    }
    assembler.report(
      MemberDamage.corrupt(
        member: index, from: entry.offset, to: entry.end, reason: reason,
        outcome: "its lines are dropped because none of them can be trusted"))
  }
}
