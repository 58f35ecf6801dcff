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
    var bytes = [UInt8](repeating: 0, count: 15)
    let time = UInt64(max(0, timestamp))
    for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - index))) }
    let first = random.next()
    let second = random.next()
    for index in 0..<8 { bytes[6 + index] = UInt8(truncatingIfNeeded: first >> (8 * index)) }
    bytes[14] = UInt8(truncatingIfNeeded: second)
    var text: [UInt8] = []
    text.reserveCapacity(Self.length)
    for group in stride(from: 0, to: 15, by: 3) {
      let value =
        UInt32(bytes[group]) << 16 | UInt32(bytes[group + 1]) << 8 | UInt32(bytes[group + 2])
      for shift in [18, 12, 6, 0] {
        text.append(Self.alphabet[Int((value >> UInt32(shift)) & 0x3F)])
      }
    }
    return String(decoding: text, as: UTF8.self)
  }
}
