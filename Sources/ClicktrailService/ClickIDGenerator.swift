import ClicktrailSupport

/// Makes click IDs: 20 URL-safe characters that are unique across hosts without any
/// coordination.
///
/// An ID encodes 15 bytes in base64url (RFC 4648, section 5) without padding: the request
/// time in milliseconds (48 bits, big-endian, so IDs sort roughly by time) followed by
/// 72 random bits. Two IDs collide only when two requests in the same millisecond draw the
/// same 72 bits; at 10,000 requests per millisecond across all hosts that chance is about
/// 1 in 10^14 per millisecond (birthday bound, 10^8 / 2^73).
public struct ClickIDGenerator: Sendable {
  /// The length of every click ID in characters.
  public static let length = 20
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  private let random: RandomSource

  /// Creates a generator that draws its random bits from `random`.
  public init(random: RandomSource = SystemRandomSource()) {
    self.random = random
  }

  /// Returns a new click ID for a request at `timestamp` (Unix milliseconds).
  public func make(timestamp: Int64) -> String {
    let time = UInt64(max(0, timestamp))
    let first = random.next()
    let second = random.next()
    let alphabet = Self.alphabet
    return String(unsafeUninitializedCapacity: Self.length) { text in
      // The 15 bytes: 48 bits of time, big-endian, then the 8 bytes of `first` and the
      // lowest byte of `second`, little-endian.
      func byte(_ index: Int) -> UInt32 {
        let value: UInt64
        switch index {
        case 0..<6: value = time >> (8 * (5 - index))
        case 6..<14: value = first >> (8 * (index - 6))
        default: value = second
        }
        return UInt32(truncatingIfNeeded: value) & 0xFF
      }
      var position = 0
      for group in stride(from: 0, to: 15, by: 3) {
        let value = byte(group) << 16 | byte(group + 1) << 8 | byte(group + 2)
        for shift in stride(from: 18, through: 0, by: -6) {
          text[position] = alphabet[Int((value >> UInt32(shift)) & 0x3F)]
          position += 1
        }
      }
      return position
    }
  }
}
