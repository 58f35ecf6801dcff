import Glibc

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

  /// Returns whether a gzip member header with a `CT` subfield starts at `offset`.
  /// - Throws: `LogReadFailure` when a read fails.
  func hasIndexedHeader(at offset: Int) throws(LogReadFailure) -> Bool {
    guard offset < size, case .header(let header) = try parseMemberHeader(at: offset) else {
      return false
    }
    return header.memberLength != nil
  }

  /// Returns the offset of the first member header with a `CT` subfield from `start` on
  /// (before `limit`).
  /// - Complexity: O(n) in the bytes scanned.
  /// - Throws: `LogReadFailure` when a read fails.
  func scanForIndexedHeader(from start: Int, before limit: Int) throws(LogReadFailure) -> Int? {
    try scanForHeader(from: start, before: limit) { $0.memberLength != nil }
  }

  /// Returns the offset of the first `1f 8b 08` from `start` on (before `limit`) whose
  /// header parses and satisfies `accept`.
  ///
  /// The bytes are searched for `1f` with memchr, so a scan runs at memory speed and parses
  /// only the rare offsets that hold the whole magic.
  /// - Complexity: O(n) in the bytes scanned.
  /// - Throws: `LogReadFailure` when a read fails.
  func scanForHeader(
    from start: Int, before limit: Int, accept: (GzipMemberHeader) -> Bool
  ) throws(LogReadFailure) -> Int? {
    let piece = 1 << 20
    var buffer = [UInt8].uninitialized(count: min(piece, max(0, min(limit, size) - start)) + 2)
    var position = max(0, start)
    let end = min(limit, size)
    while position < end {
      let count = try read(at: position, into: &buffer)
      guard count > 0 else { return nil }
      // Candidates start in the first `searchable` bytes; the two after complete the magic.
      let searchable = min(count, piece, end - position)
      let candidates = buffer.withUnsafeBytes { raw in
        Self.magicOffsets(in: raw, count: count, searchable: searchable)
      }
      for candidate in candidates {
        if case .header(let header) = try parseMemberHeader(at: position + candidate),
          accept(header)
        {
          return position + candidate
        }
      }
      position += searchable
    }
    return nil
  }

  /// Returns the offsets below `searchable` at which `1f 8b 08` starts within the first
  /// `count` bytes of `raw`.
  private static func magicOffsets(
    in raw: UnsafeRawBufferPointer, count: Int, searchable: Int
  ) -> [Int] {
    guard let base = raw.baseAddress else { return [] }
    var offsets: [Int] = []
    var index = 0
    while index < searchable {
      guard let found = memchr(base + index, 0x1F, searchable - index) else { break }
      let at = UnsafeRawPointer(found) - base
      if at + 2 < count && raw[at + 1] == 0x8B && raw[at + 2] == 0x08 { offsets.append(at) }
      index = at + 1
    }
    return offsets
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
