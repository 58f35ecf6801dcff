import Foundation

/// A lander or offer URL with tokens such as `{clickid}` that are replaced for each visit.
///
/// Tokens may appear only after the authority (in the path, query or fragment), so that no
/// value can choose the host. Every substituted value is percent-encoded with
/// `PercentEncoding`, so that it cannot add `/`, `?`, `#`, `&` or a line break.
public struct URLTemplate: Sendable, Equatable {
  /// A placeholder for a per-visit value.
  public enum Token: Sendable, Equatable {
    /// `{clickid}`: the click ID the service assigned to the visit.
    case clickID
    /// `{campaign}`: the campaign key.
    case campaign
    /// `{source}`: the traffic source name.
    case source
    /// `{lander}`: the key of the chosen lander, empty for direct linking.
    case lander
    /// `{offer}`: the key of the chosen offer, empty before the offer is chosen.
    case offer
    /// `{param:NAME}`: the value of the custom parameter NAME, empty when missing.
    case parameter(String)
  }

  enum Part: Sendable, Equatable {
    case literal(String)
    case token(Token)
  }

  /// The template as written.
  public let text: String
  let parts: [Part]

  /// The token names that a template may use, for messages.
  public static let tokenNames = "{clickid}, {campaign}, {source}, {lander}, {offer}, {param:NAME}"

  /// Parses and checks `text`.
  /// - Throws: `URLTemplateError` naming the first problem found.
  public init(parsing text: String) throws(URLTemplateError) {
    self.text = text
    // Foundation's URL parser on Linux accepts these, but the expansion goes into a
    // Location header field, where they are invalid and CR or LF ends the field.
    if let character = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
      throw URLTemplateError(
        "contains the space or control character \(String(format: "U+%04X", character.value)); "
          + "percent-encode it (a space is %20)")
    }
    parts = try Self.split(text)
    try Self.checkURL(parts)
  }

  /// Expands the template for one visit, percent-encoding every value.
  public func expand(_ values: TokenValues) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + 64)
    for part in parts {
      switch part {
      case .literal(let literal): bytes.append(contentsOf: literal.utf8)
      case .token(let token): PercentEncoding.append(values.value(for: token), to: &bytes)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: - Parsing

  private static func split(_ text: String) throws(URLTemplateError) -> [Part] {
    var parts: [Part] = []
    var literal = ""
    var rest = Substring(text)
    while let character = rest.first {
      rest = rest.dropFirst()
      if character == "}" {
        throw URLTemplateError("has a \"}\" without a matching \"{\"")
      }
      guard character == "{" else {
        literal.append(character)
        continue
      }
      guard let close = rest.firstIndex(of: "}") else {
        throw URLTemplateError("has a \"{\" without a matching \"}\"")
      }
      let name = String(rest[..<close])
      rest = rest[rest.index(after: close)...]
      guard let token = token(named: name) else {
        throw URLTemplateError(
          "has the unknown token \"{\(name)}\"; known tokens: \(tokenNames)")
      }
      if !literal.isEmpty { parts.append(.literal(literal)) }
      literal = ""
      parts.append(.token(token))
    }
    if !literal.isEmpty { parts.append(.literal(literal)) }
    return parts
  }

  private static func token(named name: String) -> Token? {
    switch name {
    case "clickid": return .clickID
    case "campaign": return .campaign
    case "source": return .source
    case "lander": return .lander
    case "offer": return .offer
    default:
      guard name.hasPrefix("param:") else { return nil }
      let parameter = String(name.dropFirst("param:".count))
      return CatalogueRules.isParameterName(parameter) ? .parameter(parameter) : nil
    }
  }

  /// Checks that the template is an absolute http(s) URL with a host and that no token comes
  /// before the path, query or fragment begins.
  private static func checkURL(_ parts: [Part]) throws(URLTemplateError) {
    var prefix = ""
    for part in parts {
      guard case .literal(let literal) = part else { break }
      prefix += literal
    }
    let lowered = prefix.lowercased()
    guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
      throw URLTemplateError("must be an absolute URL that starts with http:// or https://")
    }
    let afterScheme = prefix[prefix.range(of: "://")!.upperBound...]
    let hasToken = parts.contains { if case .token = $0 { true } else { false } }
    guard !hasToken || afterScheme.contains(where: { "/?#".contains($0) }) else {
      throw URLTemplateError(
        "must not have a token in the host; put tokens in the path, query or fragment")
    }
    let sample = parts.map { part in
      if case .literal(let literal) = part { return literal }
      return "x"
    }.joined()
    guard let components = URLComponents(string: sample), let host = components.host,
      !host.isEmpty
    else {
      throw URLTemplateError("is not a valid URL with a host")
    }
    guard components.user == nil, components.password == nil else {
      throw URLTemplateError("must not contain a user name or password")
    }
  }
}

/// A reason why a URL template is invalid, phrased to follow the template's name and value.
public struct URLTemplateError: Error, Sendable, Equatable {
  /// The problem, such as `has the unknown token "{foo}"; known tokens: …`.
  public let message: String

  init(_ message: String) { self.message = message }
}

/// The values that replace the tokens of a `URLTemplate` for one visit or click.
public struct TokenValues: Sendable, Equatable {
  /// The click ID.
  public var clickID: String
  /// The campaign key.
  public var campaign: String
  /// The traffic source name.
  public var source: String
  /// The lander key, empty for direct linking.
  public var lander: String
  /// The offer key, empty before the offer is chosen.
  public var offer: String
  /// The custom parameter values by name.
  public var parameters: [String: String]

  /// Creates the values; the ones not given are empty.
  public init(
    clickID: String, campaign: String = "", source: String = "", lander: String = "",
    offer: String = "", parameters: [String: String] = [:]
  ) {
    self.clickID = clickID
    self.campaign = campaign
    self.source = source
    self.lander = lander
    self.offer = offer
    self.parameters = parameters
  }

  /// Returns the raw value of `token`, empty for a missing parameter.
  public func value(for token: URLTemplate.Token) -> String {
    switch token {
    case .clickID: return clickID
    case .campaign: return campaign
    case .source: return source
    case .lander: return lander
    case .offer: return offer
    case .parameter(let name): return parameters[name] ?? ""
    }
  }
}
