/// The end of a member inflated as a stream.
enum StreamedMemberEnd: Equatable {
  /// The deflate data ended and the trailer checks; the member ends at `end`.
  case sound(end: Int)
  /// The deflate data ended but the CRC-32 or ISIZE does not match; the member ends at `end`.
  case checksumMismatch(end: Int)
  /// The input ended inside the deflate data or the trailer.
  case cutOff
  /// The deflate data is invalid, for the given reason.
  case dataError(String)
}

/// Inflates members piece by piece in bounded memory, for members whose end is unknown,
/// cut off, or too large to inflate whole.
struct MemberStreamer {
  let file: LogFileHandle
  /// Made on first use: most files are read as whole members and never stream, and a
  /// report reads thousands of small files.
  private var inflater: StreamingInflater?
  private var buffer: [UInt8] = []

  init(file: LogFileHandle) {
    self.file = file
  }

  /// Inflates the deflate data at `dataOffset`, reading no byte at or past `limit`, and
  /// passes the output to `output` in pieces.
  /// - Complexity: O(n) in the member's size, with O(1) memory.
  /// - Throws: `LogReadFailure` when a read fails.
  mutating func inflate(
    from dataOffset: Int, limit: Int, output: (UnsafeRawBufferPointer) -> Void
  ) throws(LogReadFailure) -> StreamedMemberEnd {
    let inflater = self.inflater ?? StreamingInflater()
    self.inflater = inflater
    inflater.reset()
    let wantedBuffer = min(1 << 20, max(1, limit - dataOffset))
    if buffer.count < wantedBuffer { buffer = .uninitialized(count: wantedBuffer) }
    var position = dataOffset
    while true {
      let wanted = min(buffer.count, limit - position)
      guard wanted > 0 else { return .cutOff }
      let count = min(wanted, try file.read(at: position, into: &buffer))
      guard count > 0 else { return .cutOff }
      let step = buffer.withUnsafeBytes {
        inflater.inflate(UnsafeRawBufferPointer(rebasing: $0[..<count]), sink: output)
      }
      switch step {
      case .needsInput:
        position += count
      case .streamEnd(let consumed):
        let trailerStart = position + consumed
        guard trailerStart + GzipMember.trailerLength <= limit else { return .cutOff }
        let trailer = try file.read(at: trailerStart, count: GzipMember.trailerLength)
        guard trailer.count == GzipMember.trailerLength else { return .cutOff }
        let checksum = trailer[0..<4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let size = trailer[4..<8].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let end = trailerStart + GzipMember.trailerLength
        let sound =
          checksum == inflater.checksum
          && size == UInt32(truncatingIfNeeded: inflater.inflatedCount)
        return sound ? .sound(end: end) : .checksumMismatch(end: end)
      case .dataError(_, let message):
        return .dataError(message)
      }
    }
  }
}

/// The problems of member damage, phrased alike for both reading paths.
enum MemberDamage {
  /// Returns the problem for a member cut off by the end of the file.
  static func truncated(
    member: Int, from start: Int, to end: Int, keptLines: Int, droppedBytes: Int
  ) -> LogProblem {
    let dropped = droppedBytes > 0 ? " and dropped a partial line of \(droppedBytes) bytes" : ""
    return LogProblem(
      kind: .truncatedMember, startOffset: start, endOffset: end, member: member,
      message: "the file ends inside member \(member); kept "
        + "\(keptLines) complete lines from it\(dropped)")
  }

  /// Returns the problem for a member that fails its checks.
  static func corrupt(
    member: Int?, from start: Int, to end: Int, reason: String, outcome: String
  ) -> LogProblem {
    let name = member.map { "member \($0)" } ?? "a member"
    return LogProblem(
      kind: .corruptMember, startOffset: start, endOffset: end, member: member,
      message: "\(name) is corrupt: \(reason); \(outcome)")
  }

  /// Returns the problem for the bytes before the first member header, `end` bytes.
  static func leading(file: LogFileHandle, before end: Int) throws(LogReadFailure) -> LogProblem {
    let what =
      try file.isZeros(from: 0, to: end)
      ? "\(end) zero bytes precede the first member header"
      : "\(end) bytes before the first member header are not a gzip member"
    return LogProblem(
      kind: .leadingGarbage, startOffset: 0, endOffset: end,
      message: "\(what); skipped, and reading starts at that header")
  }

  /// Returns the problem for a member of a format version this reader does not know.
  static func unsupportedVersion(
    _ version: UInt8, member: Int, from start: Int, to end: Int
  ) -> LogProblem {
    LogProblem(
      kind: .unsupportedVersion, startOffset: start, endOffset: end, member: member,
      message: "member \(member) has format version \(version), which this reader does not "
        + "know (it reads version \(LogFormat.version)); the rest of the file is not read")
  }

  /// Returns the problem for the bytes from `start` to `end`, which hold no member and
  /// reach the end of the file, or nil when they count as a damaged member.
  static func trailing(
    file: LogFileHandle, from start: Int, to end: Int
  ) throws(LogReadFailure) -> LogProblem? {
    let count = end - start
    if try file.isZeros(from: start, to: end) {
      return LogProblem(
        kind: .trailingZeros, startOffset: start, endOffset: end,
        message: "\(count) zero bytes follow the last member (padding left by a crash); "
          + "no lines are lost")
    }
    if try file.read(at: start, count: 2) == [0x1F, 0x8B] { return nil }
    return LogProblem(
      kind: .trailingGarbage, startOffset: start, endOffset: end,
      message: "\(count) bytes after the last member are not gzip data; ignored")
  }
}
