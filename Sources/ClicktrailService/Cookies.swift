/// Reads the `Cookie` header field and writes `Set-Cookie` values.
enum Cookies {
  /// The cookie that carries the visitor key for unique visits (random, one year).
  static let visitorName = "ct_vid"
  /// The cookie that carries the last visit: `<click ID>.<campaign>.<lander>`, so that a
  /// lander's button can go to `/click` without the click ID in its URL.
  static let visitName = "ct_visit"

  /// Returns the value of cookie `name` in a `Cookie` header field, or nil.
  static func value(_ name: String, in header: String?) -> String? {
    guard let header else { return nil }
    for pair in header.split(separator: ";") {
      let trimmed = pair.drop { $0 == " " }
      guard let equals = trimmed.firstIndex(of: "=") else { continue }
      if trimmed[..<equals] == name {
        return String(trimmed[trimmed.index(after: equals)...])
      }
    }
    return nil
  }

  /// Returns the value of the visit cookie: `<click ID>.<campaign>.<lander>`.
  static func visitValue(_ clickID: String, _ campaign: String, _ lander: String) -> String {
    var text = ""
    text.reserveCapacity(clickID.utf8.count + campaign.utf8.count + lander.utf8.count + 2)
    text += clickID
    text += "."
    text += campaign
    text += "."
    text += lander
    return text
  }

  /// Returns a `Set-Cookie` value; the value must hold only cookie-safe characters.
  static func setCookie(
    _ name: String, _ value: String, maxAgeSeconds: Int, domain: String?, secure: Bool
  ) -> String {
    // Concatenation with one allocation; string interpolation cost several per call.
    var text = ""
    text.reserveCapacity(name.utf8.count + value.utf8.count + (domain?.utf8.count ?? 0) + 72)
    text += name
    text += "="
    text += value
    text += "; Path=/; Max-Age="
    text += String(maxAgeSeconds)
    text += "; HttpOnly; SameSite=Lax"
    if let domain {
      text += "; Domain="
      text += domain
    }
    if secure { text += "; Secure" }
    return text
  }
}
