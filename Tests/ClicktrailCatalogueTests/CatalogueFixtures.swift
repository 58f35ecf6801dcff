import ClicktrailCatalogue
import Foundation

/// Builds catalogue JSON for tests from a small valid catalogue, with top-level sections
/// replaced.
enum CatalogueFixtures {
  static let exampleURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/catalogue.example.json")

  static let sectionOrder = [
    "service", "traffic_sources", "landers", "offers", "networks", "campaigns", "short_links",
  ]

  static let baseSections: [String: String] = [
    "service": #"{"public_url": "https://go.example.com"}"#,
    "traffic_sources": #"""
    [{"name": "gateway", "parameters": ["gender", "age"],
      "cost_model": {"type": "cpc", "value": 0.05, "currency": "EUR"}}]
    """#,
    "landers": #"[{"key": "quiz", "url": "https://lp.example.org/q?cid={clickid}"}]"#,
    "offers": #"""
    [{"key": "trial", "url": "https://offers.example.net/c?s={clickid}", "payout": 2,
      "currency": "USD"}]
    """#,
    "networks": #"[{"key": "affnet", "secret": "0123456789abcdef"}]"#,
    "campaigns": #"""
    [{"key": "spring", "source": "gateway", "destination": {
      "landers": [{"key": "quiz", "weight": 1}], "offers": [{"key": "trial", "weight": 1}]}}]
    """#,
    "short_links": #"[{"code": "k7Qx2", "campaign": "spring", "params": {"gender": "male"}}]"#,
  ]

  /// Returns the base catalogue with `overrides` in place of its sections; a section
  /// overridden with an empty string is left out.
  static func json(_ overrides: [String: String] = [:]) -> String {
    let sections = sectionOrder.compactMap { name -> String? in
      let body = overrides[name] ?? baseSections[name]!
      return body.isEmpty ? nil : "\"\(name)\": \(body)"
    }
    return "{\n" + sections.joined(separator: ",\n") + "\n}\n"
  }

  /// Returns a campaign section with one campaign whose fields are `fields`, JSON text
  /// without braces.
  static func campaign(_ fields: String) -> String {
    "[{\(fields)}]"
  }

  /// The fields of the base campaign, to extend in a test.
  static let springFields = #"""
    "key": "spring", "source": "gateway", "destination": {
      "landers": [{"key": "quiz", "weight": 1}], "offers": [{"key": "trial", "weight": 1}]}
    """#

  /// Decodes `json` and returns the problems, empty when it is valid.
  static func problems(_ json: String) -> [String] {
    do {
      _ = try Catalogue.decode(Data(json.utf8))
      return []
    } catch {
      return error.problems
    }
  }
}
