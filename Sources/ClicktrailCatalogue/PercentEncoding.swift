/// Percent-encoding with the strictest set: only the RFC 3986 unreserved characters
/// `A-Z a-z 0-9 - . _ ~` stay as they are, and every other UTF-8 byte becomes `%XX`.
/// The result is safe in a path segment, a query name or value and a fragment alike.
public enum PercentEncoding {
  /// Encodes `value` so that it cannot end or change the URL component it is put in.
  public static func encode(_ value: String) -> String {
    var result = ""
    result.reserveCapacity(value.utf8.count)
    for byte in value.utf8 {
      if isUnreserved(byte) {
        result.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        result += "%"
        result.unicodeScalars.append(hexDigit(byte >> 4))
        result.unicodeScalars.append(hexDigit(byte & 0x0F))
      }
    }
    return result
  }

  /// Returns whether `byte` is an RFC 3986 unreserved character.
  public static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
      UInt8(ascii: "_"), UInt8(ascii: "~"):
      return true
    default:
      return false
    }
  }

  private static func hexDigit(_ nibble: UInt8) -> Unicode.Scalar {
    Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
  }
}
