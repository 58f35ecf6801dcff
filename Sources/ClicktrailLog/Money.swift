import ClicktrailSupport

/// An amount of money in millionths of the currency unit, so that sums are exact.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The amount in millionths (micro-units): 1.5 is 1_500_000.
  public var micros: Int64

  /// The number of fraction digits that the log format and `micros` carry.
  public static let fractionDigits = 6

  public init(micros: Int64) {
    self.micros = micros
  }

  /// Creates the amount of `micros` millionths, clamped to the range of `Int64`, for
  /// results of arithmetic that may leave it.
  public init(clamping micros: Int128) {
    self.micros = Int64(clamping: micros)
  }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.micros < rhs.micros }

  /// Returns the sum, clamped to about ±9.2 trillion units, the range of `micros`: payouts
  /// come from outside, and a report must not stop on amounts too large to write.
  public static func + (lhs: Money, rhs: Money) -> Money {
    Money(clamping: Int128(lhs.micros) + Int128(rhs.micros))
  }

  /// Returns the difference, clamped like the sum.
  public static func - (lhs: Money, rhs: Money) -> Money {
    Money(clamping: Int128(lhs.micros) - Int128(rhs.micros))
  }

  /// Parses a decimal such as `12`, `-0.5` or `3.141592` (at most six fraction digits, no
  /// exponent, no grouping); returns nil for anything else or on overflow.
  public init?(parsing text: some Collection<UInt8>) {
    var iterator = text.makeIterator()
    var negative = false
    var integerDigits = 0
    var fractionDigits = 0
    var seenPoint = false
    var value: Int64 = 0
    var first = true
    while let byte = iterator.next() {
      defer { first = false }
      if first && byte == UInt8(ascii: "-") {
        negative = true
        continue
      }
      if byte == UInt8(ascii: ".") {
        guard !seenPoint, integerDigits > 0 else { return nil }
        seenPoint = true
        continue
      }
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      if seenPoint {
        fractionDigits += 1
        guard fractionDigits <= Money.fractionDigits else { return nil }
      } else {
        integerDigits += 1
      }
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - 0x30))
      guard !overflow1, !overflow2 else { return nil }
      value = sum
    }
    guard integerDigits > 0, !(seenPoint && fractionDigits == 0) else { return nil }
    for _ in fractionDigits..<Money.fractionDigits {
      let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
      guard !overflow else { return nil }
      value = times10
    }
    micros = negative ? -value : value
  }

  /// The shortest decimal text that parses back to the same amount: `1.5`, `-2`, `0.000001`.
  public var description: String {
    let magnitude = micros.magnitude
    let integerPart = magnitude / 1_000_000
    var fraction = String(magnitude % 1_000_000).leftPadded(to: Money.fractionDigits)
    while fraction.last == "0" { fraction.removeLast() }
    let sign = micros < 0 ? "-" : ""
    return fraction.isEmpty ? "\(sign)\(integerPart)" : "\(sign)\(integerPart).\(fraction)"
  }
}
