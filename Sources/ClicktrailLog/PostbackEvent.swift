/// A line of the postbacks stream: one conversion postback as the service received it.
public struct PostbackEvent: Sendable, Hashable {
  /// The conversion status, normalised from the network's own names or numbers.
  public enum Status: String, Sendable, CaseIterable, Codable {
    case approved, pending, declined
  }

  /// The columns of the postbacks stream in header order.
  public enum Column: String, CaseIterable, Sendable {
    case ts
    case clickID = "click_id"
    case txid, status, payout, currency, network, accepted
    case rejectReason = "reject_reason"
    case ip, params

    /// The cap the writer puts on a value, in UTF-8 bytes before escaping.
    public var maxBytes: Int {
      switch self {
      case .params: 8192
      default: 512
      }
    }
  }

  /// The time the postback arrived, in milliseconds since the Unix epoch, UTC.
  public var timestamp: Int64
  /// The click ID as the network sent it; it may be malformed when the postback was rejected.
  public var clickID: String
  /// The network's transaction ID, or empty when it sent none.
  public var transactionID: String
  /// The status, or nil when the postback was rejected before a status could be read.
  public var status: Status?
  /// The payout, or nil when the network sent none (the offer's default payout applies).
  public var payout: Money?
  /// The ISO 4217 code of the payout, or empty when the network sent none.
  public var currency: String
  /// The network whose credentials the postback matched, or empty.
  public var network: String
  /// Whether the service accepted the postback.
  public var accepted: Bool
  /// Why the service rejected the postback (`bad_signature`, `malformed_click_id`, ...);
  /// empty when accepted.
  public var rejectReason: String
  /// The network server's address.
  public var ip: String
  /// The postback's other query parameters, URL-encoded, without any secret or signature.
  public var params: String

  public init(
    timestamp: Int64, clickID: String, transactionID: String = "", status: Status?,
    payout: Money?, currency: String = "", network: String = "", accepted: Bool = true,
    rejectReason: String = "", ip: String = "", params: String = ""
  ) {
    self.timestamp = timestamp
    self.clickID = clickID
    self.transactionID = transactionID
    self.status = status
    self.payout = payout
    self.currency = currency
    self.network = network
    self.accepted = accepted
    self.rejectReason = rejectReason
    self.ip = ip
    self.params = params
  }
}
