/// Reads gzip members one after another from an offset to the end of the file, as
/// `gzip -dc` would: for files without `CT` subfields, such as a log recompressed by gzip.
///
/// Lines may span members here. Output is streamed, so a member whose CRC-32 fails only at its
/// end has already delivered its lines. Those lines are kept and the member is reported.
/// Bytes where no valid header starts (zeros, junk or a damaged header) are skipped to the
/// next `1f 8b 08` whose header parses.
struct GzipStreamReader {
  private var streamer: MemberStreamer
  private var file: LogFileHandle { streamer.file }

  init(file: LogFileHandle) {
    streamer = MemberStreamer(file: file)
  }

  /// Feeds the lines of every member from `start` on to `assembler` and returns the number
  /// of members met, the first having index `firstMember`.
  /// - Complexity: O(n) in the bytes read, with memory bounded by the longest line.
  /// - Throws: `LogReadFailure` when a read fails.
  mutating func read<Sink>(
    from start: Int, firstMember: Int, into assembler: inout LineAssembler<Sink>
  ) throws(LogReadFailure) -> Int {
    let size = file.size
    var offset = start
    var members = 0
    while offset < size {
      let index = firstMember + members
      let header: GzipMemberHeader
      switch try file.parseMemberHeader(at: offset) {
      case .header(let parsed):
        header = parsed
      case .needMoreBytes, .notGzip, .invalid:
        let damage = try skipDamage(at: offset, member: index, into: &assembler)
        members += damage.isMember ? 1 : 0
        guard let next = damage.next else {
          assembler.endOfData()
          return members
        }
        offset = next
        continue
      }
      members += 1
      let linesBefore = assembler.lines
      let end = try streamer.inflate(from: offset + header.headerLength, limit: size) {
        assembler.feed($0)
      }
      switch end {
      case .sound(let memberEnd):
        offset = memberEnd
      case .checksumMismatch(let memberEnd):
        assembler.report(
          MemberDamage.corrupt(
            member: index, from: offset, to: memberEnd, reason: "CRC-32 or ISIZE mismatch",
            outcome: "its lines were streamed before the check and are kept"))
        offset = memberEnd
      case .cutOff:
        let dropped = assembler.dropPartialLine()
        assembler.report(
          MemberDamage.truncated(
            member: index, from: offset, to: size, keptLines: assembler.lines - linesBefore,
            droppedBytes: dropped))
        return members
      case .dataError(let message):
        _ = assembler.dropPartialLine()
        let next = try file.scanForHeader(from: offset + 1, before: size) { _ in true } ?? size
        assembler.report(
          MemberDamage.corrupt(
            member: index, from: offset, to: next, reason: message,
            outcome: "lines inflated before the error are kept, the rest are lost"))
        offset = next
      }
    }
    assembler.endOfData()
    return members
  }

  /// Reports the bytes at `offset`, where no valid member header starts, up to the next
  /// parseable gzip header, and returns that header's offset (nil when none follows) and
  /// whether the bytes count as a member.
  private func skipDamage<Sink>(
    at offset: Int, member index: Int, into assembler: inout LineAssembler<Sink>
  ) throws(LogReadFailure) -> (next: Int?, isMember: Bool) {
    let size = file.size
    _ = assembler.dropPartialLine()
    let next = try file.scanForHeader(from: offset + 1, before: size) { _ in true }
    let end = next ?? size
    let magic = try file.read(at: offset, count: 2) == [0x1F, 0x8B]
    if try file.isZeros(from: offset, to: end) {
      guard next != nil else {
        if let problem = try MemberDamage.trailing(file: file, from: offset, to: size) {
          assembler.report(problem)
        }
        return (nil, false)
      }
      assembler.report(
        LogProblem(
          kind: .zeroPadding, startOffset: offset, endOffset: end,
          message: "\(end - offset) zero bytes lie between members (padding left by a crash); "
            + "skipped"))
      return (next, false)
    }
    if offset == 0 && !magic {
      assembler.report(try MemberDamage.leading(file: file, before: end))
      return (next, false)
    }
    if next == nil, !magic,
      let problem = try MemberDamage.trailing(file: file, from: offset, to: size)
    {
      assembler.report(problem)
      return (nil, false)
    }
    if next == nil, case .needMoreBytes = try file.parseMemberHeader(at: offset) {
      assembler.report(
        MemberDamage.truncated(member: index, from: offset, to: size, keptLines: 0, droppedBytes: 0)
      )
      return (nil, true)
    }
    assembler.report(
      MemberDamage.corrupt(
        member: index, from: offset, to: end, reason: "invalid member header",
        outcome: next == nil ? "skipped" : "skipped to the next member header"))
    return (next, true)
  }
}
