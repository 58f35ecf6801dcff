import ClicktrailCatalogue
import Foundation

/// Decodes the input as catalogue JSON, and parses it as a URL template that is expanded
/// with values from the input.
///
/// For the template part the input is split at 0xFF bytes: the first piece is the template,
/// the next ones the click ID, campaign, source, lander, offer and the values of the
/// parameters `a` and `gender`. Every template that parses, from either part, must keep its
/// scheme and host whatever the values, and its expansion must hold no byte that could end
/// a header field.
enum CatalogueTarget {
  static func run(_ data: UnsafeRawBufferPointer) {
    let pieces = data.split(separator: 0xFF, omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    func piece(_ index: Int) -> String { index < pieces.count ? pieces[index] : "" }
    let values = TokenValues(
      clickID: piece(1), campaign: piece(2), source: piece(3), lander: piece(4),
      offer: piece(5), parameters: ["a": piece(6), "gender": piece(7)])
    do {
      let catalogue = try Catalogue.decode(Data(data))
      for template in catalogue.landers.map(\.url) + catalogue.offers.map(\.url) {
        checkExpansion(template, values)
      }
    } catch {
      FuzzCheck.require(!error.problems.isEmpty, "a catalogue rejected without a problem")
    }
    if let template = try? URLTemplate(parsing: piece(0)) {
      checkExpansion(template, values)
    }
  }

  static func checkExpansion(_ template: URLTemplate, _ values: TokenValues) {
    let expanded = template.expand(values)
    FuzzCheck.require(
      !expanded.utf8.contains { $0 < 0x20 || $0 == 0x7F },
      "the expansion of \(template.text.debugDescription) has a control character")
    let empty = TokenValues(clickID: "x", campaign: "x", source: "x", lander: "x", offer: "x")
    let reference = URLComponents(string: template.expand(empty))
    let actual = URLComponents(string: expanded)
    FuzzCheck.require(
      actual != nil, "the expansion \(expanded.debugDescription) does not parse as a URL")
    FuzzCheck.require(
      actual?.scheme?.lowercased() == reference?.scheme?.lowercased()
        && actual?.host == reference?.host && actual?.port == reference?.port
        && actual?.user == nil && actual?.password == nil,
      "values moved \(template.text.debugDescription) to \(expanded.debugDescription)")
  }
}
