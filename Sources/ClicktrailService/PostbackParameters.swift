import ClicktrailCatalogue
import ClicktrailLog

/// The fields of a postback request, read under the parameter names that trackers and
/// affiliate networks use for them.
///
/// | field | accepted names, first match wins |
/// | --- | --- |
/// | click ID | `cid`, `clickid`, `click_id`, `subid`, `sub_id`, `aff_sub` |
/// | transaction ID | `txid`, `transaction_id`, `tid` |
/// | status | `status` |
/// | payout | `payout`, `sum`, `amount` |
/// | currency | `currency` |
/// | secret | `secret`, `token` |
/// | signature | `sig`, `signature` |
/// | signed time | `ts`, `timestamp` (kept in `others` as well) |
public struct PostbackParameters: Sendable, Equatable {
  static let clickIDNames = ["cid", "clickid", "click_id", "subid", "sub_id", "aff_sub"]
  static let transactionIDNames = ["txid", "transaction_id", "tid"]
  static let statusNames = ["status"]
  static let payoutNames = ["payout", "sum", "amount"]
  static let currencyNames = ["currency"]
  static let secretNames = ["secret", "token"]
  static let signatureNames = ["sig", "signature"]
  static let timestampNames = ["ts", "timestamp"]

  public var clickID: String?
  public var transactionID: String
  public var statusText: String?
  public var payoutText: String?
  public var currency: String
  public var secret: String?
  public var signature: String?
  /// The Unix time in seconds at which the network signed the postback, as sent.
  public var timestampText: String?
  /// The parameters not read above, in request order, for the `params` column: every
  /// argument but the first of each field, and never a secret or a signature under any of
  /// their names in any letter case.
  public var others: [QueryItem]

  /// Reads the fields from query or form arguments.
  public init(_ items: [QueryItem]) {
    func first(_ names: [String]) -> String? {
      for name in names {
        if let item = items.first(where: { $0.name == name }) { return item.value }
      }
      return nil
    }
    clickID = first(Self.clickIDNames)
    transactionID = first(Self.transactionIDNames) ?? ""
    statusText = first(Self.statusNames)
    payoutText = first(Self.payoutNames)
    currency = first(Self.currencyNames) ?? ""
    secret = first(Self.secretNames)
    signature = first(Self.signatureNames)
    timestampText = first(Self.timestampNames)
    let hidden = Set(Self.secretNames + Self.signatureNames)
    var read: Set<String> = []
    for names in [
      Self.clickIDNames, Self.transactionIDNames, Self.statusNames, Self.payoutNames,
      Self.currencyNames,
    ] {
      if let name = names.first(where: { name in items.contains { $0.name == name } }) {
        read.insert(name)
      }
    }
    var seen: Set<String> = []
    others = items.filter { item in
      guard !hidden.contains(item.name.lowercased()) else { return false }
      guard read.contains(item.name) else { return true }
      // The first value of a field is read above; later ones are kept for the record.
      return !seen.insert(item.name).inserted
    }
  }

  /// Maps a network's status to Clicktrail's three statuses; nil for an unknown status.
  ///
  /// A postback without a status counts as approved, as most networks send one only for
  /// non-approved conversions. Affise's numeric statuses are 1 approved, 2 pending,
  /// 3 declined and 5 hold (taken as pending).
  public static func normalizedStatus(_ text: String?) -> PostbackEvent.Status? {
    guard let text, !text.isEmpty else { return .approved }
    switch text.lowercased() {
    case "approved", "approve", "confirmed", "accepted", "sale", "1": return .approved
    case "pending", "hold", "on_hold", "2", "5": return .pending
    case "declined", "decline", "rejected", "reject", "canceled", "cancelled", "fraud",
      "trash", "3":
      return .declined
    default: return nil
    }
  }

  /// Returns the query string of `items`, percent-encoded, for the `params` column.
  public static func encode(_ items: [QueryItem]) -> String {
    guard !items.isEmpty else { return "" }
    var bytes: [UInt8] = []
    // Room for the common case, where nothing needs an escape.
    bytes.reserveCapacity(items.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 })
    for (index, item) in items.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: "&")) }
      PercentEncoding.append(item.name, to: &bytes)
      bytes.append(UInt8(ascii: "="))
      PercentEncoding.append(item.value, to: &bytes)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
