import Foundation

/// The syntax rules for the names and values in a catalogue, shared by the validator and
/// the URL template parser.
enum CatalogueRules {
  /// The paths under the service root that short-link codes must not take.
  static let reservedPaths = ["c", "click", "postback", "healthz", "metrics"]
  /// The largest weight of a lander or offer, so that sums cannot overflow.
  static let maximumWeight = 1_000_000
  /// The minimum length of a network secret, in characters.
  static let minimumSecretLength = 16
  /// The placeholder used when a traffic source names none.
  static let defaultPlaceholder = "REPLACE"
  /// The attribution window used when a campaign names none.
  static let defaultAttributionWindowDays = 30

  /// Returns whether `text` is 1 to 32 of `A-Z a-z 0-9 _ -`, the rule for keys and names.
  static func isKey(_ text: String) -> Bool {
    (1...32).contains(text.utf8.count)
      && text.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == 0x2D }
  }

  /// Returns whether `text` is 1 to 32 of `A-Z a-z 0-9 _`, the rule for parameter names.
  static func isParameterName(_ text: String) -> Bool {
    (1...32).contains(text.utf8.count)
      && text.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
  }

  /// Returns whether `text` is 3 to 16 of `A-Z a-z 0-9`, the rule for short-link codes.
  static func isShortCode(_ text: String) -> Bool {
    (3...16).contains(text.utf8.count) && text.utf8.allSatisfy(isAlphanumeric)
  }

  /// Returns whether `text` is an ISO 4217 code in form: three capital letters.
  static func isCurrencyCode(_ text: String) -> Bool {
    text.utf8.count == 3
      && text.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
  }

  /// Returns whether `text` can stand in a URL for the sender to replace: 1 to 32 printable
  /// ASCII characters other than space and `" # % & / = ? \`, which would end or change the
  /// query.
  static func isPlaceholder(_ text: String) -> Bool {
    (1...32).contains(text.utf8.count)
      && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"\"#%&/=?\\".utf8.contains($0) }
  }

  /// Returns whether `text` is a DNS name, optionally with one leading dot.
  static func isDomainName(_ text: String) -> Bool {
    let name = text.hasPrefix(".") ? text.dropFirst() : Substring(text)
    guard !name.isEmpty, name.utf8.count <= 253 else { return false }
    return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
      (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
        && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == 0x2D }
    }
  }

  /// Returns `value` as an `Int` when it is a whole number in `range`, else nil.
  static func wholeNumber(_ value: Decimal, in range: ClosedRange<Int>) -> Int? {
    guard value == rounded(value, scale: 0) else { return nil }
    guard value >= Decimal(range.lowerBound), value <= Decimal(range.upperBound) else {
      return nil
    }
    return NSDecimalNumber(decimal: value).intValue
  }

  /// Returns whether `value` has at most six fraction digits, as money amounts in the logs do.
  static func hasMoneyPrecision(_ value: Decimal) -> Bool {
    value == rounded(value, scale: 6)
  }

  private static func rounded(_ value: Decimal, scale: Int) -> Decimal {
    var input = value
    var result = Decimal()
    NSDecimalRound(&result, &input, scale, .plain)
    return result
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
      || (byte >= 0x61 && byte <= 0x7A)
  }
}
