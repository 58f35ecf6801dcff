import ClicktrailSupport

/// Writes the gateway's message log as Twilio's CSV export lays it out: RFC 4180, with
/// Twilio's column names in Twilio's order.
enum GatewayExport {
  /// The export's file name: the gateway's CSV, gzip-compressed to keep sample folders small.
  public static let fileName = "gateway-export.csv.gz"

  static let columns = [
    "From", "To", "Body", "Status", "SentDate", "ApiVersion", "NumSegments", "ErrorCode",
    "AccountSid", "Sid", "Direction", "Price", "PriceUnit",
  ]
  /// The fictional sender number every message comes from.
  static let sender = "+12125550100"

  /// Returns the CSV text of `messages`, one row each in sending order, lines ended by CRLF
  /// as RFC 4180 has it.
  ///
  /// `SentDate` is ISO 8601 in UTC with an explicit offset, such as
  /// `2026-11-02T14:00:00+00:00`. Price is negative, as Twilio reports a charge, with five
  /// fraction digits, and empty for a failed message, which is not charged.
  static func csv(
    messages: [Message], catalogue: ScenarioCatalogue, accountSID: String
  ) -> String {
    var text = columns.joined(separator: ",") + "\r\n"
    text.reserveCapacity(messages.count * 300)
    let bodies = Scenario.campaigns.indices.map { campaign in
      Scenario.segments.indices.map { segment in
        Scenario.campaigns[campaign].message.replacingOccurrences(
          of: "{link}", with: catalogue.url(catalogue.link(campaign: campaign, segment: segment)))
      }
    }
    for message in messages {
      let fields = [
        sender, message.phone, bodies[message.campaign][message.segment],
        message.status.rawValue, sentDate(message.sentAt), "2010-04-01",
        String(message.segments), message.errorCode.map(String.init) ?? "", accountSID,
        message.sid, "outbound-api", price(message), "USD",
      ]
      text += fields.map(quoted).joined(separator: ",") + "\r\n"
    }
    return text
  }

  /// Returns the account SID for a seed: `AC` and 32 hexadecimal digits.
  static func accountSID(seed: UInt64) -> String {
    var random = SimulationRandom(seed: seed ^ 0xAC_C0_11_17)
    return "AC" + random.hex(count: 32)
  }

  static func sentDate(_ milliseconds: Int64) -> String {
    CivilTime(secondsSinceEpoch: milliseconds.floorDivided(by: 1000)).isoString + "+00:00"
  }

  static func price(_ message: Message) -> String {
    guard message.status != .failed else { return "" }
    let micros = message.priceMicros
    let fraction = String(micros % 1_000_000 / 10).leftPadded(to: 5)
    return "-\(micros / 1_000_000).\(fraction)"
  }

  /// Quotes a field that contains a comma, a double quote or a line break, doubling its quotes.
  static func quoted(_ field: String) -> String {
    guard field.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else {
      return field
    }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
