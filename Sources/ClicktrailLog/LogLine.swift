/// A data line that passed every check of its stream, read in place: its fields are ranges of
/// the reader's buffer, so a line is valid only during the `consume(line:)` call that gets it.
/// Sinks that need only some fields read them from here without a string per field.
public struct LogLine {
  /// The line's bytes, without its line end.
  public let bytes: UnsafeBufferPointer<UInt8>
  /// The ranges of the stream's columns in `bytes`, in the stream's column order; the
  /// line's other columns follow.
  private let fields: [Range<Int>]
  private let checked: CheckedLine

  init(bytes: UnsafeBufferPointer<UInt8>, fields: [Range<Int>], checked: CheckedLine) {
    self.bytes = bytes
    self.fields = fields
    self.checked = checked
  }

  public var stream: LogStream { checked.stream }
  /// The `ts` column: Unix milliseconds.
  public var timestamp: Int64 { checked.timestamp }
  /// The `event` column of a clicks line; nil for a postbacks line.
  public var kind: ClickEvent.Kind? { checked.kind }
  /// Whether the line contains bytes that are not UTF-8, which its texts replace with U+FFFD.
  public var hasInvalidUTF8: Bool { checked.hasInvalidUTF8 }

  /// Returns the escaped bytes of the column at `position` in the stream's column order, as
  /// they are in the file.
  public func escaped(_ position: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: bytes[fields[position]])
  }

  /// Returns the escaped bytes from the column at `first` through the column at `last`, tabs
  /// included, or nil when those columns are not adjacent in the file in that order.
  public func escaped(from first: Int, through last: Int) -> UnsafeBufferPointer<UInt8>? {
    for position in first..<last
    where fields[position + 1].lowerBound != fields[position].upperBound + 1 {
      return nil
    }
    return UnsafeBufferPointer(rebasing: bytes[fields[first].lowerBound..<fields[last].upperBound])
  }

  /// Returns the value of the column at `position`, escapes decoded. Invalid UTF-8 is kept
  /// as it is; `text(_:)` replaces it.
  public func value(_ position: Int) -> Value {
    let field = escaped(position)
    guard field.contains(0x5C) else { return .inPlace(field) }
    // The line passed its checks, so every escape in it is valid.
    return .decoded(FieldEscaping.unescape(field) ?? Array(field))
  }

  /// Returns the value of the column at `position` as text, invalid UTF-8 replaced with
  /// U+FFFD.
  public func text(_ position: Int) -> String {
    switch value(position) {
    case .inPlace(let bytes): String(decoding: bytes, as: UTF8.self)
    case .decoded(let bytes): String(decoding: bytes, as: UTF8.self)
    }
  }

  /// Returns the event with every field as text.
  public func record() -> LogRecord {
    switch stream {
    case .clicks:
      typealias Column = ClickEvent.Column
      return .click(
        ClickEvent(
          timestamp: timestamp, kind: kind ?? .visit, clickID: text(Column.clickID.position),
          campaign: text(Column.campaign.position), source: text(Column.source.position),
          lander: text(Column.lander.position), offer: text(Column.offer.position),
          params: text(Column.params.position), visitor: text(Column.visitor.position),
          ip: text(Column.ip.position), userAgent: text(Column.userAgent.position),
          referrer: text(Column.referrer.position)))
    case .postbacks:
      typealias Column = PostbackEvent.Column
      let status = text(Column.status.position)
      let payout = value(Column.payout.position)
      return .postback(
        PostbackEvent(
          timestamp: timestamp, clickID: text(Column.clickID.position),
          transactionID: text(Column.txid.position),
          status: PostbackEvent.Status(rawValue: status),
          payout: payout.isEmpty ? nil : Money(parsing: payout),
          currency: text(Column.currency.position), network: text(Column.network.position),
          accepted: text(Column.accepted.position) == "true",
          rejectReason: text(Column.rejectReason.position), ip: text(Column.ip.position),
          params: text(Column.params.position)))
    }
  }

  /// The bytes of a value: in the reader's buffer when the field has no escape, else a
  /// decoded copy.
  public enum Value: RandomAccessCollection {
    case inPlace(UnsafeBufferPointer<UInt8>)
    case decoded([UInt8])

    public var startIndex: Int { 0 }
    public var endIndex: Int {
      switch self {
      case .inPlace(let bytes): bytes.count
      case .decoded(let bytes): bytes.count
      }
    }

    public subscript(position: Int) -> UInt8 {
      switch self {
      case .inPlace(let bytes): bytes[position]
      case .decoded(let bytes): bytes[position]
      }
    }

    /// Calls `body` with the bytes in contiguous memory.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
      switch self {
      case .inPlace(let bytes): body(bytes)
      case .decoded(let bytes): bytes.withUnsafeBufferPointer(body)
      }
    }
  }
}

/// The results of a line's checks, kept so that the line need not be checked again.
struct CheckedLine {
  let stream: LogStream
  var timestamp: Int64
  var kind: ClickEvent.Kind?
  let hasInvalidUTF8: Bool
  /// Whether a postback line was accepted.
  var accepted = false

  /// The position of the line's type in `stream.typeNames`.
  var typeIndex: Int {
    switch kind {
    case .visit: 0
    case .click: 1
    case .preview: 2
    case nil: accepted ? 0 : 1
    }
  }
}

extension ClickEvent.Column {
  /// The column's position in the stream's column order.
  public var position: Int {
    switch self {
    case .ts: 0
    case .event: 1
    case .clickID: 2
    case .campaign: 3
    case .source: 4
    case .lander: 5
    case .offer: 6
    case .params: 7
    case .visitor: 8
    case .ip: 9
    case .userAgent: 10
    case .referrer: 11
    }
  }
}

extension PostbackEvent.Column {
  /// The column's position in the stream's column order.
  public var position: Int {
    switch self {
    case .ts: 0
    case .clickID: 1
    case .txid: 2
    case .status: 3
    case .payout: 4
    case .currency: 5
    case .network: 6
    case .accepted: 7
    case .rejectReason: 8
    case .ip: 9
    case .params: 10
    }
  }
}

/// Checks UTF-8 without decoding it.
enum UTF8Check {
  /// Returns whether `bytes` are well-formed UTF-8 (no overlong forms, surrogates or code
  /// points above U+10FFFF), checking 8 ASCII bytes at a time where it can.
  static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    var index = 0
    while index < count {
      if index + 8 <= count {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        if word & 0x8080_8080_8080_8080 == 0 {
          index += 8
          continue
        }
      }
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        upper = 0x9F
      case 0xF0:
        length = 4
        lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        upper = 0x8F
      default: return false
      }
      guard index + length <= count else { return false }
      let second = bytes[index + 1]
      guard second >= lower && second <= upper else { return false }
      for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
        return false
      }
      index += length
    }
    return true
  }
}
