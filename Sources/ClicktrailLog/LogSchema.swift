import Glibc

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
    var fields: [Range<Int>] = []
    let checked = try check(line: line, fields: &fields)
    let view = LogLine(bytes: line, fields: fields, checked: checked)
    return DecodedLine(record: view.record(), repairedUTF8: checked.hasInvalidUTF8)
  }

  /// Checks one data line (without its line end) by every rule of `decode(line:)`, without
  /// making a string. `fields` is scratch space, reused from line to line.
  /// - Throws: `LineRejection` with the same reasons as `decode(line:)`.
  func check(
    line: UnsafeBufferPointer<UInt8>, fields: inout [Range<Int>]
  ) throws(LineRejection) -> CheckedLine {
    LogLineSplitter.split(line, into: &fields)
    guard fields.count == columnCount else {
      throw LineRejection("expected \(columnCount) columns, found \(fields.count)")
    }
    // Put the stream's columns first, in the stream's order; the writer's files need no move.
    var reordered = false
    for (position, index) in indices.enumerated() where index != position {
      reordered = true
      break
    }
    if reordered {
      let all = fields
      for (position, index) in indices.enumerated() { fields[position] = all[index] }
    }
    // Most lines hold no backslash at all, and then no escape to check.
    if let base = line.baseAddress, memchr(base, 0x5C, line.count) != nil {
      for position in indices.indices {
        let field = UnsafeBufferPointer(rebasing: line[fields[position]])
        guard FieldEscaping.isValid(field) else {
          throw LineRejection("invalid escape in column '\(stream.columns[position])'")
        }
      }
    }
    var checked = CheckedLine(
      stream: stream, timestamp: 0, kind: nil, hasInvalidUTF8: !UTF8Check.isValid(line))
    let view = LogLine(bytes: line, fields: fields, checked: checked)
    // A valid ts, event or click_id has no backslash, and an escape makes either form of
    // the field invalid, so those three are checked as the file holds them.
    checked.timestamp = try Self.parseTimestamp(view.escaped(0))
    switch stream {
    case .clicks: checked.kind = try Self.checkClick(view)
    case .postbacks: checked.accepted = try Self.checkPostback(view)
    }
    return checked
  }

  private static func checkClick(_ line: LogLine) throws(LineRejection) -> ClickEvent.Kind {
    typealias Column = ClickEvent.Column
    let eventBytes = line.escaped(Column.event.position)
    let kind: ClickEvent.Kind
    if Self.equals(eventBytes, "visit") {
      kind = .visit
    } else if Self.equals(eventBytes, "click") {
      kind = .click
    } else if Self.equals(eventBytes, "preview") {
      kind = .preview
    } else {
      throw LineRejection(
        "unknown event '\(line.text(Column.event.position))' (expected visit, click or preview)")
    }
    guard ClickEvent.isValidClickID(line.escaped(Column.clickID.position)) else {
      throw LineRejection("invalid click_id '\(line.text(Column.clickID.position))'")
    }
    return kind
  }

  private static func checkPostback(_ line: LogLine) throws(LineRejection) -> Bool {
    typealias Column = PostbackEvent.Column
    let accepted: Bool
    switch line.text(Column.accepted.position) {
    case "true": accepted = true
    case "false": accepted = false
    case let other: throw LineRejection("invalid accepted '\(other)' (expected true or false)")
    }
    let statusText = line.text(Column.status.position)
    if !statusText.isEmpty && PostbackEvent.Status(rawValue: statusText) == nil {
      throw LineRejection(
        "invalid status '\(statusText)' (expected approved, pending, declined or empty)")
    }
    let payoutBytes = line.value(Column.payout.position)
    if !payoutBytes.isEmpty && Money(parsing: payoutBytes) == nil {
      throw LineRejection("invalid payout '\(line.text(Column.payout.position))'")
    }
    let currency = line.value(Column.currency.position)
    guard
      currency.isEmpty || (currency.count == 3 && currency.allSatisfy { $0 >= 0x41 && $0 <= 0x5A })
    else {
      throw LineRejection(
        "invalid currency '\(line.text(Column.currency.position))' (expected three capital "
          + "letters)")
    }
    if accepted {
      guard !statusText.isEmpty else {
        throw LineRejection("accepted postback without a status")
      }
      guard !line.value(Column.clickID.position).isEmpty else {
        throw LineRejection("accepted postback without a click_id")
      }
    } else if line.value(Column.rejectReason.position).isEmpty {
      throw LineRejection("rejected postback without a reject_reason")
    }
    return accepted
  }

  /// Returns whether `bytes` are the ASCII text `literal`.
  private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
    guard bytes.count == literal.utf8CodeUnitCount, let base = bytes.baseAddress else {
      return bytes.isEmpty && literal.utf8CodeUnitCount == 0
    }
    return memcmp(base, literal.utf8Start, bytes.count) == 0
  }

  private static func parseTimestamp(
    _ bytes: UnsafeBufferPointer<UInt8>
  ) throws(LineRejection) -> Int64 {
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
    split(line, into: &ranges)
    return ranges
  }

  /// Replaces the contents of `ranges` with the index range of each field of `line`.
  public static func split(_ line: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>]) {
    ranges.removeAll(keepingCapacity: true)
    guard let base = line.baseAddress else {
      ranges.append(0..<0)
      return
    }
    var start = 0
    while let found = memchr(base + start, 0x09, line.count - start) {
      let index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
      ranges.append(start..<index)
      start = index + 1
    }
    ranges.append(start..<line.count)
  }
}
