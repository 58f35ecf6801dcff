/// The layout of one log file, read from its header line: which stream it holds and where
/// each column is.
///
/// Readers find columns by name and ignore columns they do not know, so that a later minor
/// revision can add columns without breaking them. Every version 1 column must be present.
public struct LogSchema: Sendable, Equatable {
  /// The stream the header belongs to.
  public let stream: LogStream
  /// The number of columns in the header, which every line must match.
  public let columnCount: Int
  /// For each column of the stream, in `columns` order, its index in the header.
  private let indices: [Int]

  /// Parses a header line (without its line end). A UTF-8 byte-order mark at its start, as
  /// some editors write, is skipped.
  /// - Throws: `LineRejection` naming the missing or duplicated column, or saying that the
  ///   line is empty or not a header of either stream.
  public init(headerLine line: UnsafeBufferPointer<UInt8>) throws(LineRejection) {
    let headerLine =
      line.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: line[3...]) : line
    guard !headerLine.isEmpty else {
      throw LineRejection("the first line is empty, but a header line is expected")
    }
    let names = LogLineSplitter.fields(of: headerLine).map {
      String(decoding: UnsafeBufferPointer(rebasing: headerLine[$0]), as: UTF8.self)
    }
    if let duplicate = Self.firstDuplicate(names) {
      throw LineRejection("header names column '\(duplicate)' twice")
    }
    let stream: LogStream
    if names.contains("event") {
      stream = .clicks
    } else if names.contains("txid") {
      stream = .postbacks
    } else {
      throw LineRejection(
        "first line is not a clicks or postbacks header (it has neither an 'event' nor a "
          + "'txid' column)")
    }
    var indices: [Int] = []
    for column in stream.columns {
      guard let index = names.firstIndex(of: column) else {
        throw LineRejection("\(stream.rawValue) header lacks the column '\(column)'")
      }
      indices.append(index)
    }
    self.stream = stream
    self.columnCount = names.count
    self.indices = indices
  }

  /// Creates the schema that the writer writes for `stream`.
  public init(stream: LogStream) {
    self.stream = stream
    self.columnCount = stream.columns.count
    self.indices = Array(0..<stream.columns.count)
  }

  /// Decodes one data line (without its line end).
  /// - Throws: `LineRejection` with the reason: wrong column count, invalid escape, or a
  ///   value that does not parse.
  public func decode(line: UnsafeBufferPointer<UInt8>) throws(LineRejection) -> DecodedLine {
    let ranges = LogLineSplitter.fields(of: line)
    guard ranges.count == columnCount else {
      throw LineRejection("expected \(columnCount) columns, found \(ranges.count)")
    }
    var repairedUTF8 = false
    var values: [[UInt8]] = []
    values.reserveCapacity(indices.count)
    for (position, index) in indices.enumerated() {
      let field = UnsafeBufferPointer(rebasing: line[ranges[index]])
      guard let value = FieldEscaping.unescape(field) else {
        throw LineRejection("invalid escape in column '\(stream.columns[position])'")
      }
      values.append(value)
    }
    func text(_ position: Int) -> String {
      let bytes = values[position]
      if let valid = String(validating: bytes, as: UTF8.self) { return valid }
      repairedUTF8 = true
      return String(decoding: bytes, as: UTF8.self)
    }
    let record: LogRecord
    switch stream {
    case .clicks: record = .click(try decodeClick(values, text))
    case .postbacks: record = .postback(try decodePostback(values, text))
    }
    return DecodedLine(record: record, repairedUTF8: repairedUTF8)
  }

  private func decodeClick(
    _ values: [[UInt8]], _ text: (Int) -> String
  ) throws(LineRejection) -> ClickEvent {
    typealias Column = ClickEvent.Column
    func at(_ column: Column) -> Int { Column.allCases.firstIndex(of: column)! }
    let timestamp = try Self.parseTimestamp(values[at(.ts)])
    guard let kind = ClickEvent.Kind(rawValue: text(at(.event))) else {
      throw LineRejection("unknown event '\(text(at(.event)))' (expected visit, click or preview)")
    }
    guard ClickEvent.isValidClickID(values[at(.clickID)]) else {
      throw LineRejection("invalid click_id '\(text(at(.clickID)))'")
    }
    return ClickEvent(
      timestamp: timestamp, kind: kind, clickID: text(at(.clickID)),
      campaign: text(at(.campaign)), source: text(at(.source)), lander: text(at(.lander)),
      offer: text(at(.offer)), params: text(at(.params)), visitor: text(at(.visitor)),
      ip: text(at(.ip)), userAgent: text(at(.userAgent)), referrer: text(at(.referrer)))
  }

  private func decodePostback(
    _ values: [[UInt8]], _ text: (Int) -> String
  ) throws(LineRejection) -> PostbackEvent {
    typealias Column = PostbackEvent.Column
    func at(_ column: Column) -> Int { Column.allCases.firstIndex(of: column)! }
    let timestamp = try Self.parseTimestamp(values[at(.ts)])
    let accepted: Bool
    switch text(at(.accepted)) {
    case "true": accepted = true
    case "false": accepted = false
    case let other: throw LineRejection("invalid accepted '\(other)' (expected true or false)")
    }
    let statusText = text(at(.status))
    var status: PostbackEvent.Status?
    if !statusText.isEmpty {
      guard let parsed = PostbackEvent.Status(rawValue: statusText) else {
        throw LineRejection(
          "invalid status '\(statusText)' (expected approved, pending, declined or empty)")
      }
      status = parsed
    }
    let payoutBytes = values[at(.payout)]
    var payout: Money?
    if !payoutBytes.isEmpty {
      guard let parsed = Money(parsing: payoutBytes) else {
        throw LineRejection("invalid payout '\(text(at(.payout)))'")
      }
      payout = parsed
    }
    let currency = text(at(.currency))
    guard
      currency.isEmpty
        || (currency.utf8.count == 3 && currency.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A })
    else {
      throw LineRejection("invalid currency '\(currency)' (expected three capital letters)")
    }
    let reason = text(at(.rejectReason))
    if accepted {
      guard status != nil else { throw LineRejection("accepted postback without a status") }
      guard !values[at(.clickID)].isEmpty else {
        throw LineRejection("accepted postback without a click_id")
      }
    } else if reason.isEmpty {
      throw LineRejection("rejected postback without a reject_reason")
    }
    return PostbackEvent(
      timestamp: timestamp, clickID: text(at(.clickID)), transactionID: text(at(.txid)),
      status: status, payout: payout, currency: currency, network: text(at(.network)),
      accepted: accepted, rejectReason: reason, ip: text(at(.ip)), params: text(at(.params)))
  }

  private static func parseTimestamp(_ bytes: [UInt8]) throws(LineRejection) -> Int64 {
    guard !bytes.isEmpty, bytes.count <= 15, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
      throw LineRejection(
        "invalid ts '\(String(decoding: bytes, as: UTF8.self))' (expected Unix milliseconds)")
    }
    return bytes.reduce(0) { $0 * 10 + Int64($1 - 0x30) }
  }

  private static func firstDuplicate(_ names: [String]) -> String? {
    var seen: Set<String> = []
    return names.first { !seen.insert($0).inserted }
  }
}

/// An event read from a log line.
public enum LogRecord: Sendable, Hashable {
  case click(ClickEvent)
  case postback(PostbackEvent)
}

/// A decoded line and whether invalid UTF-8 in it was replaced with U+FFFD.
public struct DecodedLine: Sendable {
  public let record: LogRecord
  /// True when some value held bytes that are not UTF-8; they were replaced with U+FFFD.
  public let repairedUTF8: Bool
}

/// The reason a line was rejected, phrased to follow `path:line: `.
public struct LineRejection: Error, Sendable, Equatable, CustomStringConvertible {
  public let reason: String

  public init(_ reason: String) {
    self.reason = reason
  }

  public var description: String { reason }
}

/// Splits a line into tab-separated fields.
public enum LogLineSplitter {
  /// Returns the index range of each field of `line`; an empty line has one empty field.
  public static func fields(of line: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    for index in 0..<line.count where line[index] == 0x09 {
      ranges.append(start..<index)
      start = index + 1
    }
    ranges.append(start..<line.count)
    return ranges
  }
}
