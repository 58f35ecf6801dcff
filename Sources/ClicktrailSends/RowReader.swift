import ClicktrailCatalogue
import Foundation

/// Turns one data row of either format into counts for its campaign and segment.
struct RowReader {
  /// The counts one row adds.
  struct Row {
    var delivered = 0
    var sent = 0
    var undelivered = 0
    var failed = 0
    var otherStatus = 0
    var deliveredCost: Decimal = 0
    var totalCost: Decimal = 0
    var currency = ""

    /// The messages the row counts, in every status.
    var messages: Int { delivered + sent + undelivered + failed + otherStatus }
  }

  enum Outcome {
    case counted(SendsKey, Row)
    case inbound
    /// A message sent outside the report's range.
    case outsideRange
    case rejected(String)
  }

  /// Twilio's message statuses besides delivered, sent, undelivered and failed.
  static let otherStatuses: Set<String> = [
    "accepted", "scheduled", "canceled", "queued", "sending", "receiving", "received", "read",
    "partially_delivered",
  ]

  let columns: [String: Int]
  let catalogue: Catalogue

  // MARK: - Twilio export

  func readMessage(_ fields: [String]) -> Outcome {
    if let direction = columns["Direction"], fields[direction].lowercased().hasPrefix("inbound") {
      return .inbound
    }
    guard let code = Self.linkCode(in: fields[columns["Body"]!]) else {
      return .rejected("no link of the form https://HOST/CODE in Body")
    }
    guard let link = catalogue.shortLink(code: code) else {
      return .rejected("unknown short link code '\(code)' in Body")
    }
    let priceText = fields[columns["Price"]!].trimmingCharacters(in: .whitespaces)
    guard let price = Self.decimal(priceText, allowNegative: true) else {
      return .rejected("invalid Price '\(priceText)': expected a decimal such as -0.00790")
    }
    let currency = fields[columns["PriceUnit"]!].trimmingCharacters(in: .whitespaces)
    guard currency.isEmpty || Self.isCurrencyCode(currency) else {
      return .rejected("invalid PriceUnit '\(currency)': expected a code such as USD")
    }
    guard price == 0 || !currency.isEmpty else {
      return .rejected("missing PriceUnit for Price '\(priceText)'")
    }
    let cost = price < 0 ? -price : price
    var row = Row(totalCost: cost, currency: currency)
    let status = fields[columns["Status"]!].trimmingCharacters(in: .whitespaces).lowercased()
    switch status {
    case "delivered":
      row.delivered = 1
      row.deliveredCost = cost
    case "sent": row.sent = 1
    case "undelivered": row.undelivered = 1
    case "failed": row.failed = 1
    case _ where Self.otherStatuses.contains(status): row.otherStatus = 1
    default: return .rejected("unknown Status '\(status)'")
    }
    return .counted(SendsKey(campaign: link.campaign, segment: link.segment), row)
  }

  /// Returns the code of the first `http://HOST/CODE` or `https://HOST/CODE` in `body`, where
  /// CODE is the run of `A-Z a-z 0-9` after the host's slash.
  static func linkCode(in body: String) -> String? {
    var rest = Substring(body)
    while let start = rest.range(of: "http") {
      var tail = rest[start.upperBound...]
      if tail.hasPrefix("s") { tail = tail.dropFirst() }
      rest = tail
      guard tail.hasPrefix("://") else { continue }
      let afterScheme = tail.dropFirst(3)
      guard let slash = afterScheme.firstIndex(of: "/") else { continue }
      let host = afterScheme[..<slash]
      guard !host.isEmpty, !host.contains(where: { $0 == " " }) else { continue }
      let code = afterScheme[afterScheme.index(after: slash)...].prefix {
        $0.isASCII && ($0.isLetter || $0.isNumber)
      }
      if !code.isEmpty { return String(code) }
    }
    return nil
  }

  // MARK: - Aggregated sends

  func readAggregate(_ fields: [String]) -> Outcome {
    func field(_ name: String) -> String {
      fields[columns[name]!].trimmingCharacters(in: .whitespaces)
    }
    let campaignKey = field("campaign")
    guard let campaign = catalogue.campaign(key: campaignKey) else {
      return .rejected("unknown campaign '\(campaignKey)'")
    }
    let segmentText = field("segment")
    let segment: String
    switch normalizedSegment(segmentText, source: campaign.source) {
    case .success(let label): segment = label
    case .failure(let problem): return .rejected(problem.reason)
    }
    let deliveredText = field("delivered")
    guard let delivered = Int(deliveredText), (0...SendsTotals.maxMessages).contains(delivered)
    else {
      return .rejected(
        "invalid delivered '\(deliveredText)': expected a whole number from 0 to "
          + "\(SendsTotals.maxMessages)")
    }
    let costText = field("cost")
    guard !costText.isEmpty, let cost = Self.decimal(costText, allowNegative: false) else {
      return .rejected("invalid cost '\(costText)': expected a decimal ≥ 0 such as 12.50")
    }
    let currency = field("currency")
    guard Self.isCurrencyCode(currency) else {
      return .rejected("invalid currency '\(currency)': expected a code such as USD")
    }
    let row = Row(delivered: delivered, deliveredCost: cost, totalCost: cost, currency: currency)
    return .counted(SendsKey(campaign: campaign.key, segment: segment), row)
  }

  struct SegmentProblem: Error {
    let reason: String
  }

  /// Returns the segment label in the form short links use: the source's parameters in its
  /// order, values percent-encoded. `%XX` escapes in `text` are decoded first, and `+` is a
  /// plus sign, not a space.
  func normalizedSegment(_ text: String, source: String) -> Result<String, SegmentProblem> {
    let names = catalogue.trafficSource(name: source)?.parameters ?? []
    var values: [String: String] = [:]
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, let name = parts[0].removingPercentEncoding,
        let value = parts[1].removingPercentEncoding, !value.isEmpty
      else {
        return .failure(SegmentProblem(reason: "invalid segment '\(text)': expected NAME=VALUE&…"))
      }
      guard names.contains(name) else {
        return .failure(
          SegmentProblem(reason: "segment parameter '\(name)' is not one of source \(source)'s"))
      }
      guard values.updateValue(value, forKey: name) == nil else {
        return .failure(SegmentProblem(reason: "segment parameter '\(name)' is given twice"))
      }
    }
    let label = names.compactMap { name in
      values[name].map { "\(PercentEncoding.encode(name))=\(PercentEncoding.encode($0))" }
    }
    return .success(label.joined(separator: "&"))
  }

  // MARK: - Values

  /// Parses `-?[0-9]+(\.[0-9]+)?`; an empty text is 0, a price Twilio has not set yet.
  static func decimal(_ text: String, allowNegative: Bool) -> Decimal? {
    if text.isEmpty { return 0 }
    var digits = Substring(text)
    if allowNegative, digits.hasPrefix("-") { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
      parts.allSatisfy({ $0.allSatisfy(\.isNumber) })
    else { return nil }
    return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
  }

  static func isCurrencyCode(_ text: String) -> Bool {
    text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
  }
}

/// Parses the export's `SentDate`: ISO 8601 with an offset or `Z`, as the simulator writes it,
/// or `YYYY-MM-DD HH:MM:SS` taken as UTC. One parser serves a whole file.
struct SentDateParser {
  private let withOffset = ISO8601DateFormatter()
  private let plain = ISO8601DateFormatter()

  init() {
    withOffset.formatOptions = [.withInternetDateTime]
    plain.formatOptions = [
      .withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime,
    ]
    plain.timeZone = TimeZone(identifier: "UTC")
  }

  func milliseconds(_ text: String) -> Int64? {
    guard let date = withOffset.date(from: text) ?? plain.date(from: text) else { return nil }
    return Int64(date.timeIntervalSince1970 * 1000)
  }
}
