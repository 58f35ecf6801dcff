import Foundation

// The catalogue file as JSON spells it. Every field is optional here, so that a missing
// field becomes one validation problem among all the others instead of stopping the decoder.
// Numbers decode as `Decimal`, so that a fractional weight is reported as a rule broken and
// not as a JSON type error.

struct CatalogueDocument: Decodable {
  var service: ServiceDocument?
  var trafficSources: [TrafficSourceDocument]?
  var landers: [LanderDocument]?
  var offers: [OfferDocument]?
  var networks: [NetworkDocument]?
  var campaigns: [CampaignDocument]?
  var shortLinks: [ShortLinkDocument]?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case service
    case trafficSources = "traffic_sources"
    case landers
    case offers
    case networks
    case campaigns
    case shortLinks = "short_links"
  }
}

struct ServiceDocument: Decodable {
  var publicURL: String?
  var cookieDomain: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case publicURL = "public_url"
    case cookieDomain = "cookie_domain"
  }
}

struct TrafficSourceDocument: Decodable {
  var name: String?
  var parameters: [String]?
  var placeholder: String?
  var costModel: CostModelDocument?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name
    case parameters
    case placeholder
    case costModel = "cost_model"
  }
}

struct CostModelDocument: Decodable {
  var type: String?
  var value: Decimal?
  var currency: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case type
    case value
    case currency
  }
}

struct LanderDocument: Decodable {
  var key: String?
  var url: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case key
    case url
  }
}

struct OfferDocument: Decodable {
  var key: String?
  var url: String?
  var payout: Decimal?
  var currency: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case key
    case url
    case payout
    case currency
  }
}

struct NetworkDocument: Decodable {
  var key: String?
  var secret: String?
  var hmacSecret: String?
  var signatureWindowSeconds: Decimal?
  var ipAllowlist: [String]?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case key
    case secret
    case hmacSecret = "hmac_secret"
    case signatureWindowSeconds = "signature_window_seconds"
    case ipAllowlist = "ip_allowlist"
  }
}

struct CampaignDocument: Decodable {
  var key: String?
  var source: String?
  var destination: DestinationDocument?
  var network: String?
  var attributionWindowDays: Decimal?
  var message: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case key
    case source
    case destination
    case network
    case attributionWindowDays = "attribution_window_days"
    case message
  }
}

struct DestinationDocument: Decodable {
  var landers: [WeightedKeyDocument]?
  var offers: [WeightedKeyDocument]?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case landers
    case offers
  }
}

struct WeightedKeyDocument: Decodable {
  var key: String?
  var weight: Decimal?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case key
    case weight
  }
}

struct ShortLinkDocument: Decodable {
  var code: String?
  var campaign: String?
  var params: [String: String]?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case code
    case campaign
    case params
  }
}
