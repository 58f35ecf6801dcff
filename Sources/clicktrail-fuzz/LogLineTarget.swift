import ClicktrailLog

/// Decodes the input as one data line of each stream, and builds events from it that go
/// through the writer's encoding, a gzip member and `LogReader` back to events.
///
/// For the second part the input is split at 0xFF bytes (never part of UTF-8) into field
/// values, which are assigned to one click event and one postback event in column order.
enum LogLineTarget {
  static func run(_ data: UnsafeRawBufferPointer) {
    let line = data.bindMemory(to: UInt8.self)
    for stream in LogStream.allCases {
      if let decoded = try? LogSchema(stream: stream).decode(line: line) {
        checkRoundTrip(decoded.record)
      }
    }
    if let schema = try? LogSchema(headerLine: line) {
      FuzzCheck.require(schema.columnCount >= schema.stream.columns.count, "short header")
    }
    let fields = data.split(separator: 0xFF, omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    checkWriterToReader(click: click(from: fields), postback: postback(from: fields))
  }

  /// Checks that encoding `record` and decoding the line gives `record` back, unless the
  /// encoder cut a field to its column's cap, and that the encoding is then stable.
  static func checkRoundTrip(_ record: LogRecord) {
    let (line, truncated) = encode(record)
    guard let decoded = decode(line, stream: record.stream) else {
      FuzzCheck.require(
        false, "the decoder rejects the encoder's line \(String(decoding: line, as: UTF8.self))")
      return
    }
    if truncated == 0 {
      FuzzCheck.require(decoded == record, "\(record) came back as \(decoded)")
    }
    let (again, _) = encode(decoded)
    FuzzCheck.require(again == line, "the encoding of a decoded line changed")
  }

  static func encode(_ record: LogRecord) -> (line: [UInt8], truncated: Int) {
    var line: [UInt8] = []
    let truncated: Int
    switch record {
    case .click(let event): truncated = LogLineEncoder.append(event, to: &line)
    case .postback(let event): truncated = LogLineEncoder.append(event, to: &line)
    }
    return (line, truncated)
  }

  /// Decodes `line`, which ends with its line feed.
  static func decode(_ line: [UInt8], stream: LogStream) -> LogRecord? {
    line.dropLast().withUnsafeBufferPointer {
      try? LogSchema(stream: stream).decode(line: $0).record
    }
  }

  // MARK: - Writer to reader

  private static func checkWriterToReader(click: ClickEvent, postback: PostbackEvent) {
    var paths: [String] = []
    var expected: [LogRecord] = []
    let compressor = GzipMemberCompressor(level: 1)
    for record in [LogRecord.click(click), .postback(postback)] {
      let stream = record.stream
      var text = LogLineEncoder.header(for: stream)
      let (line, _) = encode(record)
      text += line
      guard let decoded = decode(line, stream: stream) else {
        FuzzCheck.require(false, "the decoder rejects the encoder's line for \(record)")
        return
      }
      expected.append(decoded)
      let member = text.withUnsafeBytes { compressor.compress($0, stream: stream) }
      let name = "\(stream.rawValue)-writer.tsv.gz"
      paths.append(member.withUnsafeBytes { ScratchFolder.write($0, name: name) })
    }
    let result = LogReader.read(
      paths: paths, options: LogReadOptions(workers: 1), into: CollectingSink.self)
    for file in result.files {
      FuzzCheck.require(file.problems.isEmpty, "problems in a written file: \(file.problems)")
    }
    FuzzCheck.require(result.sink.records == expected, "the reader returned other events")
  }

  private static func click(from fields: [String]) -> ClickEvent {
    func field(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
    let kinds = ClickEvent.Kind.allCases
    let clickID = ClickEvent.isValidClickID(field(1).utf8) ? field(1) : "fuzz-click-id"
    return ClickEvent(
      timestamp: timestamp(field(0)), kind: kinds[field(0).utf8.count % kinds.count],
      clickID: clickID, campaign: field(2), source: field(3), lander: field(4),
      offer: field(5), params: field(6), visitor: field(7), ip: field(8),
      userAgent: field(9), referrer: field(10))
  }

  /// Returns a postback as the service logs one: accepted with a status and a well-formed
  /// click ID, or rejected with a reason.
  private static func postback(from fields: [String]) -> PostbackEvent {
    func field(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
    let accepted = field(11).utf8.count % 2 == 0
    let statuses = PostbackEvent.Status.allCases
    var clickID = field(12)
    if accepted && !ClickEvent.isValidClickID(clickID.utf8) { clickID = "fuzz-click-id" }
    let currency = field(15)
    let isCode = currency.utf8.count == 3 && currency.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    let payout = Money(parsing: Array(field(14).utf8))
    return PostbackEvent(
      timestamp: timestamp(field(11)), clickID: clickID, transactionID: field(13),
      status: accepted ? statuses[field(13).utf8.count % statuses.count] : nil,
      payout: payout, currency: isCode ? currency : "", network: field(16), accepted: accepted,
      rejectReason: accepted ? "" : (field(17).isEmpty ? "bad_secret" : field(17)),
      ip: field(18), params: field(19))
  }

  /// Returns a timestamp of at most 15 digits, as the log format allows, from `text`.
  private static func timestamp(_ text: String) -> Int64 {
    var hash: UInt64 = 14_695_981_039_346_656_037
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
    return Int64(hash % 1_000_000_000_000_000)
  }
}

extension LogRecord {
  /// The stream the record belongs to.
  var stream: LogStream {
    switch self {
    case .click: .clicks
    case .postback: .postbacks
    }
  }
}
