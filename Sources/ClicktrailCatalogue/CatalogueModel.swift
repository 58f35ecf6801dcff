import Foundation

// MARK: - Service

/// The settings of the redirect service that the catalogue needs to print links.
public struct ServiceSettings: Sendable, Equatable {
  /// The base URL that visitors reach, without a trailing slash, such as
  /// `https://go.example.com`.
  public let publicURL: String
  /// The domain that the visitor cookie is set for, or nil for the host of `publicURL`.
  public let cookieDomain: String?
}

// MARK: - Traffic sources

/// A traffic source: an SMS gateway or list owner that sends the messages.
public struct TrafficSource: Sendable, Equatable {
  /// The unique name that campaigns refer to.
  public let name: String
  /// The custom parameter names that segment its traffic, such as `gender` and `age`, in the
  /// order that links list them.
  public let parameters: [String]
  /// The text put in link templates for a parameter that the sender fills in, such as
  /// `REPLACE`.
  public let placeholder: String
  /// The pricing of the traffic.
  public let costModel: CostModel
}

/// The pricing of a traffic source, with the formula that turns counts into cost.
public struct CostModel: Sendable, Equatable {
  /// The unit that a traffic source charges for.
  public enum Kind: String, Sendable, CaseIterable {
    /// A price per SMS delivered.
    case perMessage = "per_message"
    /// A price per visit.
    case cpc
    /// A price per conversion.
    case cpa
    /// A price per 1000 visits.
    case cpm
    /// A share of revenue between 0 and 1.
    case revshare
    /// Free traffic.
    case none
  }

  /// The unit charged for.
  public let kind: Kind
  /// The price per unit, or the share of revenue for `revshare`; 0 for `none`.
  public let value: Decimal
  /// The ISO 4217 code of `value`, or nil for `revshare` and `none`, which take the currency
  /// of the revenue.
  public let currency: String?

  /// Creates a cost model; the catalogue validator checks the rules that this does not.
  public init(kind: Kind, value: Decimal, currency: String?) {
    self.kind = kind
    self.value = value
    self.currency = currency
  }

  /// Computes the cost of traffic from its counts and the revenue it earned.
  public func cost(
    messagesDelivered: Int, visits: Int, conversions: Int, revenue: Decimal
  ) -> Decimal {
    switch kind {
    case .perMessage: return Decimal(messagesDelivered) * value
    case .cpc: return Decimal(visits) * value
    case .cpa: return Decimal(conversions) * value
    case .cpm: return Decimal(visits) / 1000 * value
    case .revshare: return revenue * value
    case .none: return 0
    }
  }
}

// MARK: - Landers, offers and networks

/// A landing page shown to a visitor before the offer.
public struct Lander: Sendable, Equatable {
  /// The unique key that campaigns refer to.
  public let key: String
  /// The URL that the service redirects a visitor to.
  public let url: URLTemplate
}

/// An affiliate offer: the page where the visitor converts.
public struct Offer: Sendable, Equatable {
  /// The unique key that campaigns refer to.
  public let key: String
  /// The URL that the service redirects a click to.
  public let url: URLTemplate
  /// The payout per conversion when the postback carries none.
  public let payout: Decimal
  /// The ISO 4217 code of `payout`.
  public let currency: String
}

/// An affiliate network whose postbacks report conversions.
public struct Network: Sendable, Equatable {
  /// The unique key that campaigns and postback URLs refer to.
  public let key: String
  /// The shared secret that a postback must carry.
  public let secret: String
  /// The key for HMAC-SHA256 postback signatures, or nil when the network signs nothing.
  public let hmacSecret: String?
  /// The largest distance, in seconds, between a signed postback's `ts` and the service's
  /// clock; nil when the network sends no signed time. Within the window each signature is
  /// accepted once.
  public let signatureWindowSeconds: Int?
  /// The networks that postbacks may come from; empty allows every address.
  public let ipAllowlist: [IPNetwork]
}

// MARK: - Campaigns and short links

/// A key with its share of traffic in a weighted rotation.
public struct WeightedKey: Sendable, Equatable {
  /// The key of a lander or offer.
  public let key: String
  /// The positive relative weight.
  public let weight: Int
}

/// The rotation of landers and offers that a campaign sends visitors to.
public struct Destination: Sendable, Equatable {
  /// The landers in rotation; empty for direct linking, where the visit goes to the offer.
  public let landers: [WeightedKey]
  /// The offers in rotation, never empty.
  public let offers: [WeightedKey]

  /// Whether visits go straight to an offer without a lander.
  public var isDirectLinking: Bool { landers.isEmpty }
  /// The weighted choice among `landers`, or nil for direct linking.
  public var landerChoice: WeightedChoice<String>? {
    WeightedChoice(landers.map { ($0.key, $0.weight) })
  }
  /// The weighted choice among `offers`; validation guarantees at least one positive weight.
  public var offerChoice: WeightedChoice<String> {
    WeightedChoice(offers.map { ($0.key, $0.weight) })!
  }
}

/// A campaign: traffic from one source sent to a rotation of landers and offers.
public struct Campaign: Sendable, Equatable {
  /// The unique URL-safe key that appears in campaign URLs, such as `spring`.
  public let key: String
  /// The name of the traffic source.
  public let source: String
  /// The landers and offers that visits go to.
  public let destination: Destination
  /// The key of the network whose postbacks credit this campaign, or nil.
  public let network: String?
  /// The days after a visit in which a conversion still counts for it.
  public let attributionWindowDays: Int
  /// The SMS text with `{link}` where the link goes, or nil.
  public let message: String?
}

/// A parameter name with its value.
public struct ParameterValue: Sendable, Equatable {
  /// The parameter name, one of the traffic source's.
  public let name: String
  /// The value.
  public let value: String

  /// Creates a parameter value.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// A short link: a code that stands for a campaign with fixed parameter values.
public struct ShortLink: Sendable, Equatable {
  /// The code that forms the path, such as `k7Qx2`.
  public let code: String
  /// The key of the campaign.
  public let campaign: String
  /// The fixed parameter values, in the order of the source's parameters.
  public let parameters: [ParameterValue]

  /// The segment label, such as `gender=male&age=25-34`, with values percent-encoded.
  public var segment: String {
    parameters.map { "\($0.name)=\(PercentEncoding.encode($0.value))" }
      .joined(separator: "&")
  }
}
