/// Finds the header line of an indexed gzip file before its members are spread over
/// workers, which all need the schema.
struct HeaderProbe {
  /// The header the probe found and how the tasks treat it.
  struct Found {
    /// The schema to decode with, or nil when no line is to be decoded.
    var schema: LogSchema?
    /// The treatment of the first line of the task that reads `entry`.
    var mode: HeaderMode
    /// The entry whose first line is the header, or -1.
    var entry: Int
    /// A missing_header problem, if any.
    var problem: LogProblem?

    init(schema: LogSchema?, mode: HeaderMode, entry: Int, problem: LogProblem? = nil) {
      self.schema = schema
      self.mode = mode
      self.entry = entry
      self.problem = problem
    }
  }

  private var streamer: MemberStreamer
  private let maxLineBytes: Int
  private let decompressor = WholeMemberDecompressor()

  init(file: LogFileHandle, maxLineBytes: Int) {
    streamer = MemberStreamer(file: file)
    self.maxLineBytes = maxLineBytes
  }

  /// Reads the first line of the first member that has data.
  ///
  /// When that member is sound or merely cut off, its first line is the header: it is
  /// counted as line 1 and must parse. When it is corrupt, its lines are dropped, so the
  /// header is taken from its first line if that still parses, else from the stream code in
  /// the `CT` subfield (the writer always writes that stream's standard header), and line
  /// numbers start at the first line read. After a damaged stretch, the first line of the
  /// next sound member is the header only if it parses as one; otherwise the header was in
  /// the damage and that line is data.
  /// - Throws: `LogReadFailure` when a read fails.
  mutating func find(in index: MemberIndex) throws(LogReadFailure) -> Found {
    let fallback = LogStream(code: index.streamCode).map { LogSchema(stream: $0) }
    let lost = Found(schema: fallback, mode: .none, entry: -1)
    // Whether damage precedes the member read: its first line may then be data.
    var afterDamage = false
    for (position, entry) in index.entries.enumerated() {
      switch entry.kind {
      case .member, .truncated:
        guard let (line, kept) = try firstLine(of: entry) else { continue }
        guard kept else {
          return Found(
            schema: line.flatMap { parse($0).schema } ?? fallback, mode: .none, entry: -1)
        }
        guard let line else { return lost }
        let parsed = parse(line)
        if afterDamage && parsed.schema == nil { return lost }
        return Found(
          schema: parsed.schema, mode: .skip, entry: position,
          problem: parsed.reason.map { LineAssembler<CountingSink>.missingHeader($0) })
      case .unindexed:
        return Found(schema: nil, mode: .parse, entry: position)
      case .unsupportedVersion:
        return Found(schema: nil, mode: .none, entry: -1)
      case .damaged, .leading:
        afterDamage = true
      case .zeros, .garbage:
        continue
      }
    }
    return lost
  }

  /// Returns the inflated member when the reader's whole-member checks pass, or nil to
  /// stream it instead, which also finds what a damaged member still holds. The reader
  /// inflates the member again: it is one member per file.
  private func wholeMember(_ entry: MemberEntry) throws(LogReadFailure) -> [UInt8]? {
    guard entry.length <= MemberReader.wholeMemberLimit else { return nil }
    let compressed = try streamer.file.read(at: entry.offset, count: entry.length)
    guard compressed.count == entry.length, compressed.count >= 4 else { return nil }
    let inflatedSize = compressed[(compressed.count - 4)...].reversed().reduce(0) {
      $0 << 8 | Int($1)
    }
    guard inflatedSize <= MemberReader.wholeMemberLimit else { return nil }
    var inflated: [UInt8] = []
    let outcome = compressed.withUnsafeBytes {
      decompressor.decompress(member: $0, into: &inflated)
    }
    return outcome == .success ? inflated : nil
  }

  private func parse(_ line: [UInt8]) -> (schema: LogSchema?, reason: String?) {
    guard line.count <= maxLineBytes else {
      return (nil, "it is longer than \(maxLineBytes) bytes")
    }
    let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: line.count)
    defer { bytes.deallocate() }
    _ = bytes.initialize(from: line)
    do throws(LineRejection) {
      return (try LogSchema(headerLine: UnsafeBufferPointer(bytes)), nil)
    } catch {
      return (nil, error.reason)
    }
  }

  /// Returns the first line of `entry` without its line end (nil when it has no complete
  /// line) and whether its lines will be kept; nil when the member is sound and empty.
  private mutating func firstLine(
    of entry: MemberEntry
  ) throws(LogReadFailure) -> (line: [UInt8]?, kept: Bool)? {
    guard case .header(let header) = try streamer.file.parseMemberHeader(at: entry.offset)
    else { return (nil, false) }
    if entry.kind == .member, let whole = try wholeMember(entry) {
      // The member passed the checks the reader will make, so its lines are kept.
      guard let newline = whole.firstIndex(of: 0x0A) else {
        if whole.isEmpty { return nil }
        return (whole.count > maxLineBytes + 2 ? Array(whole.prefix(maxLineBytes + 3)) : nil, true)
      }
      var line = Array(whole[..<newline])
      if line.last == 0x0D { line.removeLast() }
      return (line, true)
    }
    var output: [UInt8] = []
    let limit = maxLineBytes + 2
    var inflatedCount = 0
    let end = try streamer.inflate(from: entry.offset + header.headerLength, limit: entry.end) {
      inflatedCount += $0.count
      if output.count <= limit && !output.contains(0x0A) {
        output.append(contentsOf: $0.prefix(limit + 1 - output.count))
      }
    }
    var kept: Bool
    switch end {
    case .sound(let memberEnd): kept = memberEnd == entry.end || entry.kind == .truncated
    case .cutOff: kept = entry.kind == .truncated
    case .checksumMismatch, .dataError: kept = false
    }
    // The reader drops a member that inflates past its limit, whatever its checks say.
    if inflatedCount > MemberReader.wholeMemberLimit { kept = false }
    if kept && output.isEmpty, case .sound = end { return nil }
    guard let newline = output.firstIndex(of: 0x0A) else {
      return (output.count > limit ? output : nil, kept)
    }
    var line = Array(output[..<newline])
    if line.last == 0x0D { line.removeLast() }
    return (line, kept)
  }
}
