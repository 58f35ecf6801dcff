import ClicktrailLog

/// A click ID of the service's form, 20 characters of base64url, packed 6 bits a character
/// into two 60-bit halves.
struct ClickKey: Hashable, Sendable {
  var high: UInt64
  var low: UInt64

  /// The key of a free slot in a `ClickTable`; packing never sets the top 4 bits.
  static let vacant = ClickKey(high: .max, low: .max)

  init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// The Unix milliseconds in the first 8 characters, 48 bits, where the service puts the
  /// visit's time.
  var timestamp: Int64 { Int64(high >> 12) }

  /// The click ID as text.
  var text: String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var bytes: [UInt8] = []
    for half in [high, low] {
      for shift in stride(from: 54, through: 0, by: -6) {
        bytes.append(alphabet[Int(half >> UInt64(shift) & 63)])
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Packs `clickID`; nil unless it has 20 characters from `A-Z a-z 0-9 - _`.
  init?(_ clickID: String) {
    let bytes = Array(clickID.utf8)
    guard let key = bytes.withUnsafeBufferPointer({ ClickKey(bytes: $0) }) else { return nil }
    self = key
  }

  /// Packs a click ID as the line contains it, with a table lookup per byte.
  init?(bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count == 20 else { return nil }
    var high: UInt64 = 0
    var low: UInt64 = 0
    var invalid: UInt8 = 0
    for index in 0..<10 {
      let digit = Self.digits[Int(bytes[index])]
      invalid |= digit
      high = high << 6 | UInt64(digit & 63)
    }
    for index in 10..<20 {
      let digit = Self.digits[Int(bytes[index])]
      invalid |= digit
      low = low << 6 | UInt64(digit & 63)
    }
    guard invalid & 0x80 == 0 else { return nil }
    self.high = high
    self.low = low
  }

  /// The value of each byte as a base64url character, or 0x80 for other bytes.
  private static let digits: [UInt8] = (0...255).map { byte in
    digit(UInt8(byte)).map { UInt8($0) } ?? 0x80
  }

  /// Returns the value of a base64url character, or nil for another byte.
  private static func digit(_ byte: UInt8) -> UInt64? {
    switch byte {
    case 0x41...0x5A: UInt64(byte - 0x41)
    case 0x61...0x7A: UInt64(byte - 0x61) + 26
    case 0x30...0x39: UInt64(byte - 0x30) + 52
    case 0x2D: 62
    case 0x5F: 63
    default: nil
    }
  }
}

/// A click ID as the sink keeps it: packed when the service made it, else its number among
/// the sink's texts.
struct ClickReference: Hashable, Sendable {
  /// The packed ID, or `ClickKey.vacant` when the ID is `text`.
  var key: ClickKey
  var text: UInt32
}
