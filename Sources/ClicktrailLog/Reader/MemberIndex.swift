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
    /// Bytes before the first member header that are not a gzip member.
    case leading
    /// A member of a format version this reader does not know, and the rest of the file.
    case unsupportedVersion(UInt8)
  }

  var kind: Kind
  /// The first byte, from the start of the file.
  var offset: Int
  /// The length in bytes.
  var length: Int
  /// The stream code of the member's `CT` subfield, for members and truncated members.
  var streamCode: UInt8? = nil
  /// The byte after the last one.
  var end: Int { offset + length }

  /// Whether the stretch counts as a gzip member.
  var isMember: Bool {
    switch kind {
    case .member, .truncated, .damaged, .unindexed, .unsupportedVersion: true
    case .zeros, .garbage, .leading: false
    }
  }
}

/// The members of a gzip file found by stepping from header to header with their `CT`
/// lengths, never trusting a length that leads nowhere.
///
/// A `CT` length is trusted when it leads exactly to another `CT` header or to the end of the
/// file. Otherwise the walk scans from the end of the member's header for the next `CT`
/// header and takes the whole stretch as one damaged member, so a wrong length never makes
/// up a member. Only when no later header exists is the length trusted up to trailing bytes,
/// or the member taken as cut off by the end of the file.
struct MemberIndex {
  private(set) var entries: [MemberEntry] = []
  /// The format version of the first `CT` member.
  let formatVersion: UInt8
  /// The stream code of the first `CT` member.
  let streamCode: UInt8
  private let file: LogFileHandle

  /// Walks the member headers of `file` from `start`, where the first member header with a
  /// `CT` subfield lies; the bytes before it are reported as damage.
  /// - Complexity: O(m) reads of a few hundred bytes for m members, plus a scan of the bytes
  ///   of any damaged stretch.
  /// - Throws: `LogReadFailure` when a read fails.
  init(file: LogFileHandle, first: GzipMemberHeader, at start: Int) throws(LogReadFailure) {
    self.file = file
    formatVersion = first.formatVersion ?? 0
    streamCode = first.streamCode ?? 0
    if start > 0 {
      switch try file.parseMemberHeader(at: 0) {
      case .invalid(let reason):
        _ = add(.damaged("invalid member header: \(reason)"), from: 0, to: start)
      case .needMoreBytes:
        _ = add(.damaged("its header runs past the next member header"), from: 0, to: start)
      case .header, .notGzip:
        _ = add(.leading, from: 0, to: start)
      }
    }
    var offset = start
    while offset < file.size {
      offset = try step(at: offset)
    }
  }

  // MARK: - Walking

  /// Adds the entry at `offset` and returns where the next one starts.
  private mutating func step(at offset: Int) throws(LogReadFailure) -> Int {
    let size = file.size
    switch try file.parseMemberHeader(at: offset) {
    case .header(let header):
      guard let length = header.memberLength else {
        return add(.unindexed, from: offset, to: size)
      }
      // A reader that meets a version it does not know stops reading the file.
      if let version = header.formatVersion, version != LogFormat.version {
        return add(.unsupportedVersion(version), from: offset, to: size)
      }
      return try stepIndexed(at: offset, header: header, length: length)
    case .needMoreBytes:
      if let found = try file.scanForIndexedHeader(from: offset + 1, before: size) {
        return add(.damaged("its header runs past the next member header"), from: offset, to: found)
      }
      if size - offset < GzipMember.writerHeaderLength {
        return add(.truncated, from: offset, to: size)
      }
      return add(.damaged("its header runs past the end of the file"), from: offset, to: size)
    case .notGzip, .invalid:
      if try file.isZeros(from: offset, to: min(size, offset + 1)),
        let run = try zeroRunEnd(offset)
      {
        return add(.zeros, from: offset, to: run)
      }
      if let found = try file.scanForIndexedHeader(from: offset + 1, before: size) {
        return add(.damaged("no valid member header"), from: offset, to: found)
      }
      let magic = try file.read(at: offset, count: 2)
      if magic == [0x1F, 0x8B] {
        return add(.damaged("invalid member header"), from: offset, to: size)
      }
      return add(.garbage, from: offset, to: size)
    }
  }

  /// Adds the member with a `CT` header at `offset` and returns where the next entry starts.
  private mutating func stepIndexed(
    at offset: Int, header: GzipMemberHeader, length: Int
  ) throws(LogReadFailure) -> Int {
    let size = file.size
    let next = offset + length
    let code = header.streamCode
    let leadsToHeader = next < size ? try file.hasIndexedHeader(at: next) : false
    if next == size || leadsToHeader {
      return add(.member, from: offset, to: next, streamCode: code)
    }
    let dataStart = offset + header.headerLength
    if let found = try file.scanForIndexedHeader(from: dataStart, before: size) {
      // The length is right when zeros (padding) lie between the member and the next
      // header, or when the member it bounds passes its checks: then the damage is in the
      // header at `next`, which the next step reports.
      var lengthIsRight = false
      if next < found {
        lengthIsRight = try file.isZeros(from: next, to: found)
        if !lengthIsRight { lengthIsRight = try isSound(from: offset, to: next) }
      }
      if lengthIsRight {
        return add(.member, from: offset, to: next, streamCode: code)
      }
      let reason =
        next > size
        ? "its length \(length) runs past the end of the file"
        : "its length \(length) does not lead to the next member header"
      return add(.damaged(reason), from: offset, to: found)
    }
    if next > size {
      return add(.truncated, from: offset, to: size, streamCode: code)
    }
    // No header follows: the bytes after the member are trailing zeros or garbage.
    return add(.member, from: offset, to: next, streamCode: code)
  }

  private mutating func add(
    _ kind: MemberEntry.Kind, from start: Int, to end: Int, streamCode: UInt8? = nil
  ) -> Int {
    entries.append(
      MemberEntry(kind: kind, offset: start, length: end - start, streamCode: streamCode))
    return end
  }

  // MARK: - Scanning

  /// Returns whether the bytes from `start` to `end` are one whole member whose deflate
  /// data, CRC-32 and ISIZE check.
  /// - Complexity: O(n) in the member's length; used only where a length is in doubt.
  private func isSound(from start: Int, to end: Int) throws(LogReadFailure) -> Bool {
    guard end - start <= MemberReader.wholeMemberLimit else { return false }
    let bytes = try file.read(at: start, count: end - start)
    var output: [UInt8] = []
    let outcome = bytes.withUnsafeBytes {
      WholeMemberDecompressor().decompress(member: $0, into: &output)
    }
    return outcome == .success
  }

  /// Returns the end of the run of zero bytes at `start`: the end of the file, or the next
  /// member header when one follows the run directly; nil when other bytes follow.
  private func zeroRunEnd(_ start: Int) throws(LogReadFailure) -> Int? {
    var position = start
    while position < file.size {
      let bytes = try file.read(at: position, count: min(1 << 20, file.size - position))
      if let nonZero = bytes.firstIndex(where: { $0 != 0 }) {
        let end = position + nonZero
        return try file.hasIndexedHeader(at: end) ? end : nil
      }
      position += bytes.count
    }
    return file.size
  }
}
