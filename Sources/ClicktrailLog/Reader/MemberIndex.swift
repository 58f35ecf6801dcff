/// One stretch of a gzip file whose members carry `CT` lengths, found without inflating.
struct MemberEntry: Sendable, Equatable {
  /// The content of a stretch.
  enum Kind: Sendable, Equatable {
    /// A member whose `CT` length fits the file and leads to the next member or the end.
    case member
    /// A member that the end of the file cuts off.
    case truncated
    /// Bytes whose member header or length is unusable, up to the next member header.
    case damaged(String)
    /// A member without a `CT` subfield, from which the rest of the file is streamed.
    case unindexed
    /// Zero bytes between members or after the last one.
    case zeros
    /// Bytes after the last member that are not gzip data.
    case garbage
  }

  var kind: Kind
  /// The first byte, from the start of the file.
  var offset: Int
  /// The length in bytes.
  var length: Int
  /// The byte after the last one.
  var end: Int { offset + length }

  /// Whether the stretch counts as a gzip member.
  var isMember: Bool {
    switch kind {
    case .member, .truncated, .damaged, .unindexed: true
    case .zeros, .garbage: false
    }
  }
}

/// The members of a gzip file found by stepping from header to header with their `CT`
/// lengths, never trusting a length that leads nowhere.
struct MemberIndex {
  private(set) var entries: [MemberEntry] = []
  /// The format version of the first member.
  let formatVersion: UInt8
  /// The stream code of the first member.
  let streamCode: UInt8
  private let file: LogFileHandle

  /// Walks the member headers of `file`, whose first member has a `CT` subfield.
  /// - Complexity: O(m) reads of a few hundred bytes for m members, plus a scan of the bytes
  ///   of any damaged stretch.
  /// - Throws: `LogReadFailure` when a read fails.
  init(file: LogFileHandle, first: GzipMemberHeader) throws(LogReadFailure) {
    self.file = file
    formatVersion = first.formatVersion ?? 0
    streamCode = first.streamCode ?? 0
    var offset = 0
    while offset < file.size {
      offset = try step(at: offset)
    }
  }

  // MARK: - Walking

  /// Adds the entry at `offset` and returns where the next one starts.
  private mutating func step(at offset: Int) throws(LogReadFailure) -> Int {
    let size = file.size
    switch try parseHeader(at: offset) {
    case .header(let header):
      guard let length = header.memberLength else {
        entries.append(MemberEntry(kind: .unindexed, offset: offset, length: size - offset))
        return size
      }
      let next = offset + length
      if next > size {
        if let found = try scanForMember(from: offset + 1, before: size) {
          let reason = "its length \(length) runs past the end of the file"
          return add(.damaged(reason), from: offset, to: found)
        }
        return add(.truncated, from: offset, to: size)
      }
      if next < size, case .header(let following) = try parseHeader(at: next),
        following.memberLength != nil
      {
        return add(.member, from: offset, to: next)
      }
      if next < size, let found = try scanForMember(from: offset + 1, before: next) {
        let reason = "its length \(length) does not lead to the next member"
        return add(.damaged(reason), from: offset, to: found)
      }
      return add(.member, from: offset, to: next)
    case .needMoreBytes:
      return add(.truncated, from: offset, to: size)
    case .notGzip, .invalid:
      if try isZeros(from: offset, to: min(size, offset + 1)), let run = try zeroRunEnd(offset) {
        return add(.zeros, from: offset, to: run)
      }
      if let found = try scanForMember(from: offset + 1, before: size) {
        return add(.damaged("no valid member header"), from: offset, to: found)
      }
      let magic = try file.read(at: offset, count: 2)
      if magic == [0x1F, 0x8B] {
        return add(.damaged("invalid member header"), from: offset, to: size)
      }
      return add(.garbage, from: offset, to: size)
    }
  }

  private mutating func add(_ kind: MemberEntry.Kind, from start: Int, to end: Int) -> Int {
    entries.append(MemberEntry(kind: kind, offset: start, length: end - start))
    return end
  }

  // MARK: - Scanning

  /// Returns the offset of the first member header from `start` on (before `limit`) with a
  /// `CT` subfield of this file's format version and stream code.
  /// - Complexity: O(n) in the bytes scanned.
  func scanForMember(from start: Int, before limit: Int) throws(LogReadFailure) -> Int? {
    try file.scanForHeader(from: start, before: limit) { isMember($0) }
  }

  private func isMemberHeader(at offset: Int) throws(LogReadFailure) -> Bool {
    guard case .header(let header) = try parseHeader(at: offset) else { return false }
    return isMember(header)
  }

  private func isMember(_ header: GzipMemberHeader) -> Bool {
    header.memberLength != nil && header.formatVersion == formatVersion
      && header.streamCode == streamCode
  }

  private func parseHeader(at offset: Int) throws(LogReadFailure) -> GzipHeaderParse {
    try file.parseMemberHeader(at: offset)
  }

  private func isZeros(from start: Int, to end: Int) throws(LogReadFailure) -> Bool {
    try file.isZeros(from: start, to: end)
  }

  /// Returns the end of the run of zero bytes at `start`: the end of the file, or the next
  /// member header when one follows the run directly; nil when other bytes follow.
  private func zeroRunEnd(_ start: Int) throws(LogReadFailure) -> Int? {
    var position = start
    while position < file.size {
      let bytes = try file.read(at: position, count: min(1 << 20, file.size - position))
      if let nonZero = bytes.firstIndex(where: { $0 != 0 }) {
        let end = position + nonZero
        return try isMemberHeader(at: end) ? end : nil
      }
      position += bytes.count
    }
    return file.size
  }
}
