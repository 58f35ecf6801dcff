import Foundation

/// Checks a decoded catalogue against every rule and collects one message per problem, so
/// that a user fixes them all in one pass. Messages start with the element's JSON path and
/// identity, such as `campaigns[2] (key "spring"): `.
struct CatalogueValidator {
  private(set) var problems: [String] = []

  var sources: [TrafficSource] = []
  var landers: [Lander] = []
  var offers: [Offer] = []
  var networks: [Network] = []
  var campaigns: [Campaign] = []
  var shortLinks: [ShortLink] = []

  /// The names and keys seen, valid or not, so that references to an element with a problem
  /// of its own do not get a second message.
  /// Each array has one entry per element, nil where the element has no key.
  var sourceNames: [String?] = []
  var landerKeys: [String?] = []
  var offerKeys: [String?] = []
  var networkKeys: [String?] = []
  var campaignKeys: [String?] = []

  /// Validates `document` and returns the catalogue, or nil when `problems` is not empty.
  mutating func validate(_ document: CatalogueDocument) -> Catalogue? {
    let service = validateService(document.service)
    for (index, source) in (document.trafficSources ?? []).enumerated() {
      validateSource(source, index: index)
    }
    for (index, lander) in (document.landers ?? []).enumerated() {
      validateLander(lander, index: index)
    }
    for (index, offer) in (document.offers ?? []).enumerated() {
      validateOffer(offer, index: index)
    }
    for (index, network) in (document.networks ?? []).enumerated() {
      validateNetwork(network, index: index)
    }
    for (index, campaign) in (document.campaigns ?? []).enumerated() {
      validateCampaign(campaign, index: index)
    }
    var shortLinkCodes: [String] = []
    for (index, link) in (document.shortLinks ?? []).enumerated() {
      validateShortLink(link, index: index, codes: &shortLinkCodes)
    }
    guard problems.isEmpty, let service else { return nil }
    return Catalogue(
      service: service, trafficSources: sources, landers: landers, offers: offers,
      networks: networks, campaigns: campaigns, shortLinks: shortLinks)
  }

  // MARK: - Reporting

  mutating func report(_ element: String, _ message: String) {
    problems.append("\(element): \(message)")
  }

  /// Returns the label of an array element: its path, and its identity when it has one.
  func label(_ array: String, _ index: Int, _ field: String, _ value: String?) -> String {
    guard let value, !value.isEmpty else { return "\(array)[\(index)]" }
    return "\(array)[\(index)] (\(field) \(quoted(value)))"
  }

  func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          result += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  func known(_ names: [String?]) -> String {
    let present = names.compactMap { $0 }
    return present.isEmpty ? "none" : present.joined(separator: ", ")
  }

  /// Reports a key that is missing, breaks the key rule or repeats one in `seen`.
  mutating func checkKey(
    _ key: String?, field: String, element: String, array: String, seen: [String?]
  ) {
    guard let key else {
      report(element, "\(field) is missing")
      return
    }
    if !CatalogueRules.isKey(key) {
      report(element, "\(field) \(quoted(key)) must be 1 to 32 of A-Z a-z 0-9 _ -")
    } else if let first = seen.firstIndex(of: key) {
      report(element, "duplicate \(field) \(quoted(key)); \(array)[\(first)] has it too")
    }
  }

  mutating func checkTemplate(_ text: String?, field: String, element: String) -> URLTemplate? {
    guard let text else {
      report(element, "\(field) is missing")
      return nil
    }
    do {
      return try URLTemplate(parsing: text)
    } catch {
      report(element, "\(field) \(quoted(text)) \(error.message)")
      return nil
    }
  }

  mutating func checkAmount(
    _ value: Decimal?, field: String, element: String, maximum: Decimal? = nil
  ) -> Decimal? {
    guard let value else {
      report(element, "\(field) is missing")
      return nil
    }
    if value < 0 || maximum.map({ value > $0 }) == true {
      let range = maximum.map { "from 0 to \($0)" } ?? "0 or more"
      report(element, "\(field) \(value) must be \(range)")
      return nil
    }
    guard CatalogueRules.hasMoneyPrecision(value) else {
      report(element, "\(field) \(value) has more than 6 fraction digits")
      return nil
    }
    return value
  }

  mutating func checkCurrency(_ code: String?, field: String, element: String) -> String? {
    guard let code else {
      report(element, "\(field) is missing")
      return nil
    }
    guard CatalogueRules.isCurrencyCode(code) else {
      report(element, "\(field) \(quoted(code)) must be an ISO 4217 code of 3 capital letters")
      return nil
    }
    return code
  }

  // MARK: - Service

  private mutating func validateService(_ document: ServiceDocument?) -> ServiceSettings? {
    guard let document else {
      report("catalogue", "service is missing")
      return nil
    }
    guard let text = document.publicURL else {
      report("service", "public_url is missing")
      return nil
    }
    let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
    guard let components = URLComponents(string: trimmed),
      let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = components.host, !host.isEmpty, components.query == nil,
      components.fragment == nil, components.user == nil
    else {
      report(
        "service",
        "public_url \(quoted(text)) must be an absolute http or https URL with a host and "
          + "no query or fragment")
      return nil
    }
    if let domain = document.cookieDomain {
      let bare = domain.hasPrefix(".") ? String(domain.dropFirst()) : domain
      let lowerHost = host.lowercased()
      if !CatalogueRules.isDomainName(domain) {
        report("service", "cookie_domain \(quoted(domain)) is not a domain name")
      } else if lowerHost != bare.lowercased() && !lowerHost.hasSuffix("." + bare.lowercased()) {
        report(
          "service",
          "cookie_domain \(quoted(domain)) does not cover \(quoted(host)), the host of "
            + "public_url, so browsers would reject the cookie")
      }
    }
    return ServiceSettings(publicURL: trimmed, cookieDomain: document.cookieDomain)
  }
}
