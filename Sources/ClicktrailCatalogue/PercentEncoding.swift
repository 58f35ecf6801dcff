/// Percent-encoding with the strictest set: only the RFC 3986 unreserved characters
/// `A-Z a-z 0-9 - . _ ~` stay as they are, and every other UTF-8 byte becomes `%XX`.
/// The result is safe in a path segment, a query name or value and a fragment alike.
public enum PercentEncoding {
  /// Encodes `value` so that it cannot end or change the URL component it is put in.
  public static func encode(_ value: String) -> String {
    // Click IDs, keys and most parameter values need no escape, so they are returned as
    // they are, without building a new string.
    if value.utf8.allSatisfy(isUnreserved) { return value }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(value.utf8.count * 3)
    append(value, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the encoded UTF-8 bytes of `value` to `output`.
  public static func append(_ value: String, to output: inout [UInt8]) {
    for byte in value.utf8 {
      if isUnreserved(byte) {
        output.append(byte)
      } else {
        output.append(UInt8(ascii: "%"))
        output.append(hexDigit(byte >> 4))
        output.append(hexDigit(byte & 0x0F))
      }
    }
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

  private static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
  }
}
