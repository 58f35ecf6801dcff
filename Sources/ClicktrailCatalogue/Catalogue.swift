import Foundation

/// A validated campaign catalogue: traffic sources, landers, offers, networks, campaigns and
/// short links, with every reference checked. Create one with `load(contentsOf:)` or
/// `decode(_:)`.
public struct Catalogue: Sendable {
  /// The redirect service settings.
  public let service: ServiceSettings
  /// The traffic sources, in file order.
  public let trafficSources: [TrafficSource]
  /// The landers, in file order.
  public let landers: [Lander]
  /// The offers, in file order.
  public let offers: [Offer]
  /// The affiliate networks, in file order.
  public let networks: [Network]
  /// The campaigns, in file order.
  public let campaigns: [Campaign]
  /// The short links, in file order.
  public let shortLinks: [ShortLink]

  private let campaignIndex: [String: Int]
  private let shortLinkIndex: [String: Int]

  init(
    service: ServiceSettings, trafficSources: [TrafficSource], landers: [Lander],
    offers: [Offer], networks: [Network], campaigns: [Campaign], shortLinks: [ShortLink]
  ) {
    self.service = service
    self.trafficSources = trafficSources
    self.landers = landers
    self.offers = offers
    self.networks = networks
    self.campaigns = campaigns
    self.shortLinks = shortLinks
    campaignIndex = Dictionary(
      campaigns.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
    shortLinkIndex = Dictionary(
      shortLinks.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
  }

  // MARK: - Loading

  /// Reads, decodes and validates the catalogue file at `url`.
  /// - Throws: `CatalogueError` with every problem found, or the read failure.
  public static func load(contentsOf url: URL) throws(CatalogueError) -> Catalogue {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw CatalogueError(problems: ["cannot read the file: \(error.localizedDescription)"])
    }
    return try decode(data)
  }

  /// Decodes and validates a catalogue from JSON text.
  /// - Throws: `CatalogueError` with every problem found.
  public static func decode(_ data: Data) throws(CatalogueError) -> Catalogue {
    let document = try CatalogueDecoding.decode(data)
    var validator = CatalogueValidator()
    let catalogue = validator.validate(document.document)
    let problems = document.unknownFieldProblems + validator.problems
    guard problems.isEmpty, let catalogue else {
      throw CatalogueError(problems: problems)
    }
    return catalogue
  }

  // MARK: - Lookups

  /// Returns the campaign with `key`, or nil.
  public func campaign(key: String) -> Campaign? {
    campaignIndex[key].map { campaigns[$0] }
  }

  /// Returns the short link with `code`, or nil. Codes are case-sensitive.
  public func shortLink(code: String) -> ShortLink? {
    shortLinkIndex[code].map { shortLinks[$0] }
  }

  /// Returns the short links of the campaign with `key`, in file order.
  public func shortLinks(campaign key: String) -> [ShortLink] {
    shortLinks.filter { $0.campaign == key }
  }

  /// Returns the traffic source called `name`, or nil.
  public func trafficSource(name: String) -> TrafficSource? {
    trafficSources.first { $0.name == name }
  }

  /// Returns the lander with `key`, or nil.
  public func lander(key: String) -> Lander? { landers.first { $0.key == key } }

  /// Returns the offer with `key`, or nil.
  public func offer(key: String) -> Offer? { offers.first { $0.key == key } }

  /// Returns the network with `key`, or nil.
  public func network(key: String) -> Network? { networks.first { $0.key == key } }

  // MARK: - Links

  /// Builds the campaign URL, `PUBLIC_URL/c/KEY?NAME=VALUE&…`, with each value
  /// percent-encoded. Parameters with a nil value carry the source's placeholder unencoded,
  /// so that the sender can find and replace it.
  public func campaignURL(campaign: Campaign, values: [String: String?]) -> String {
    var url = "\(service.publicURL)/c/\(PercentEncoding.encode(campaign.key))"
    guard let source = trafficSource(name: campaign.source) else { return url }
    let pairs = source.parameters.compactMap { name -> String? in
      guard let entry = values[name] else { return nil }
      let value = entry.map(PercentEncoding.encode) ?? source.placeholder
      return "\(PercentEncoding.encode(name))=\(value)"
    }
    if !pairs.isEmpty { url += "?" + pairs.joined(separator: "&") }
    return url
  }

  /// Builds the campaign URL in which every parameter of the source carries the placeholder.
  public func templateURL(campaign: Campaign) -> String {
    let names = trafficSource(name: campaign.source)?.parameters ?? []
    let values = Dictionary(uniqueKeysWithValues: names.map { ($0, String?.none) })
    return campaignURL(campaign: campaign, values: values)
  }

  /// Builds the campaign URL with the short link's fixed values, leaving other parameters out.
  public func campaignURL(shortLink: ShortLink) -> String? {
    guard let campaign = campaign(key: shortLink.campaign) else { return nil }
    let values = Dictionary(
      uniqueKeysWithValues: shortLink.parameters.map { ($0.name, String?.some($0.value)) })
    return campaignURL(campaign: campaign, values: values)
  }

  /// Builds the short link URL, `PUBLIC_URL/CODE`.
  public func shortLinkURL(_ shortLink: ShortLink) -> String {
    "\(service.publicURL)/\(shortLink.code)"
  }
}

/// The problems that make a catalogue unusable, each a complete message naming the JSON path,
/// the value and the rule broken.
public struct CatalogueError: Error, Sendable, Equatable {
  /// The messages: unknown fields first, then the broken rules in the order of the file.
  public let problems: [String]

  /// Creates an error from its messages.
  public init(problems: [String]) {
    self.problems = problems
  }
}
