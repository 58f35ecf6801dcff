extension LogFileHandle {
  /// Parses the gzip member header at `offset`, reading more bytes for long optional fields.
  /// - Throws: `LogReadFailure` when a read fails.
  func parseMemberHeader(at offset: Int) throws(LogReadFailure) -> GzipHeaderParse {
    for probe in [512, 65_536 + 512] {
      let bytes = try read(at: offset, count: probe)
      let parse = bytes.withUnsafeBytes { GzipMember.parseHeader($0) }
      if parse != .needMoreBytes || bytes.count < probe { return parse }
    }
    return .invalid("member header is longer than 64 KiB")
  }

  /// Returns the offset of the first `1f 8b 08` from `start` on (before `limit`) whose
  /// header parses and satisfies `accept`.
  /// - Complexity: O(n) in the bytes scanned.
  /// - Throws: `LogReadFailure` when a read fails.
  func scanForHeader(
    from start: Int, before limit: Int, accept: (GzipMemberHeader) -> Bool
  ) throws(LogReadFailure) -> Int? {
    let piece = 1 << 20
    var position = start
    while position < limit {
      let bytes = try read(at: position, count: min(piece, limit - position) + 2)
      var index = 0
      while index + 2 < bytes.count && index < piece {
        if bytes[index] == 0x1F && bytes[index + 1] == 0x8B && bytes[index + 2] == 0x08
          && position + index < limit,
          case .header(let header) = try parseMemberHeader(at: position + index),
          accept(header)
        {
          return position + index
        }
        index += 1
      }
      position += piece
    }
    return nil
  }

  /// Returns whether every byte in `start..<end` is zero.
  /// - Throws: `LogReadFailure` when a read fails.
  func isZeros(from start: Int, to end: Int) throws(LogReadFailure) -> Bool {
    var position = start
    while position < end {
      let bytes = try read(at: position, count: min(1 << 20, end - position))
      guard !bytes.isEmpty, bytes.allSatisfy({ $0 == 0 }) else { return false }
      position += bytes.count
    }
    return true
  }
}
