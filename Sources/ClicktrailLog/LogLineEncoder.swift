/// Encodes events as log lines: escaped fields joined by tabs, ending with a line feed.
public enum LogLineEncoder {
  /// Appends the line for `event` to `output`.
  /// - Returns: The number of fields cut to their column's cap.
  @discardableResult
  public static func append(_ event: ClickEvent, to output: inout [UInt8]) -> Int {
    var truncated = 0
    appendDecimal(event.timestamp, to: &output)
    for column in ClickEvent.Column.allCases.dropFirst() {
      output.append(0x09)
      let value: String
      switch column {
      case .ts: continue
      case .event: value = event.kind.rawValue
      case .clickID: value = event.clickID
      case .campaign: value = event.campaign
      case .source: value = event.source
      case .lander: value = event.lander
      case .offer: value = event.offer
      case .params: value = event.params
      case .visitor: value = event.visitor
      case .ip: value = event.ip
      case .userAgent: value = event.userAgent
      case .referrer: value = event.referrer
      }
      if FieldEscaping.appendEscaped(value, maxBytes: column.maxBytes, to: &output) {
        truncated += 1
      }
    }
    output.append(0x0A)
    return truncated
  }

  /// Appends the line for `event` to `output`.
  /// - Returns: The number of fields cut to their column's cap.
  @discardableResult
  public static func append(_ event: PostbackEvent, to output: inout [UInt8]) -> Int {
    var truncated = 0
    appendDecimal(event.timestamp, to: &output)
    for column in PostbackEvent.Column.allCases.dropFirst() {
      output.append(0x09)
      let value: String
      switch column {
      case .ts: continue
      case .clickID: value = event.clickID
      case .txid: value = event.transactionID
      case .status: value = event.status?.rawValue ?? ""
      case .payout: value = event.payout?.description ?? ""
      case .currency: value = event.currency
      case .network: value = event.network
      case .accepted: value = event.accepted ? "true" : "false"
      case .rejectReason: value = event.rejectReason
      case .ip: value = event.ip
      case .params: value = event.params
      }
      if FieldEscaping.appendEscaped(value, maxBytes: column.maxBytes, to: &output) {
        truncated += 1
      }
    }
    output.append(0x0A)
    return truncated
  }

  /// Returns the header line of `stream`, with its line feed, as bytes.
  public static func header(for stream: LogStream) -> [UInt8] {
    Array((stream.headerLine + "\n").utf8)
  }

  private static func appendDecimal(_ value: Int64, to output: inout [UInt8]) {
    if value < 0 {
      output.append(UInt8(ascii: "-"))
    }
    var magnitude = value.magnitude
    var divisor: UInt64 = 1
    while divisor <= magnitude / 10 { divisor *= 10 }
    repeat {
      output.append(UInt8(magnitude / divisor) + 0x30)
      magnitude %= divisor
      divisor /= 10
    } while divisor > 0
  }
}
