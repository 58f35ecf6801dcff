/// A line of the clicks stream: a visit, a lander click or a link preview.
public struct ClickEvent: Sendable, Hashable {
  /// What happened.
  public enum Kind: String, Sendable, CaseIterable, Codable {
    /// A hit on the campaign URL or a short link.
    case visit
    /// A lander-to-offer click through the click URL.
    case click
    /// A fetch by a link-preview crawler or a HEAD request, never counted as a visit.
    case preview
  }

  /// The columns of the clicks stream in header order.
  public enum Column: String, CaseIterable, Sendable {
    case ts, event
    case clickID = "click_id"
    case campaign, source, lander, offer, params, visitor, ip
    case userAgent = "ua"
    case referrer

    /// The cap the writer puts on a value, in UTF-8 bytes before escaping.
    public var maxBytes: Int {
      switch self {
      case .userAgent: 2048
      case .referrer: 4096
      case .params: 8192
      default: 512
      }
    }
  }

  /// The time of the request in milliseconds since the Unix epoch, UTC.
  public var timestamp: Int64
  public var kind: Kind
  /// The click ID: 1 to 64 characters from `A-Z a-z 0-9 _ -`.
  public var clickID: String
  /// The campaign key from the catalogue.
  public var campaign: String
  /// The traffic source name.
  public var source: String
  /// The lander chosen, or empty for direct linking.
  public var lander: String
  /// The offer chosen, or empty when a visit went to a lander.
  public var offer: String
  /// The custom parameters, URL-encoded as a query string: `gender=male&age=25-34`.
  public var params: String
  /// The visitor key that unique visits count, or empty when unknown.
  public var visitor: String
  /// The client address, possibly truncated by the service's privacy setting.
  public var ip: String
  public var userAgent: String
  public var referrer: String

  public init(
    timestamp: Int64, kind: Kind, clickID: String, campaign: String, source: String = "",
    lander: String = "", offer: String = "", params: String = "", visitor: String = "",
    ip: String = "", userAgent: String = "", referrer: String = ""
  ) {
    self.timestamp = timestamp
    self.kind = kind
    self.clickID = clickID
    self.campaign = campaign
    self.source = source
    self.lander = lander
    self.offer = offer
    self.params = params
    self.visitor = visitor
    self.ip = ip
    self.userAgent = userAgent
    self.referrer = referrer
  }

  /// Returns whether `id` is a well-formed click ID: 1 to 64 characters from
  /// `A-Z a-z 0-9 _ -`.
  public static func isValidClickID(_ id: some Collection<UInt8>) -> Bool {
    guard !id.isEmpty, id.count <= 64 else { return false }
    return id.allSatisfy { byte in
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
        || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
    }
  }
}
