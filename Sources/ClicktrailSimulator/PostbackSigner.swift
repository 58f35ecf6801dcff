import CCrypto
import ClicktrailCatalogue

/// Builds postback query strings the way the network's server does, signed as
/// docs/endpoints.md describes: the hex HMAC-SHA256 of every argument but the signature,
/// sorted by name and value, each as `name=value` percent-encoded, joined by `&`.
enum PostbackSigner {
  /// Returns the query string of `arguments` with `secret` added and, when `hmacKey` is
  /// given, the `sig` argument.
  static func query(
    _ arguments: [(String, String)], secret: String, hmacKey: String?
  ) -> String {
    let all = arguments + [("secret", secret)]
    var pairs = all.map { (PercentEncoding.encode($0.0), PercentEncoding.encode($0.1)) }
    if let hmacKey {
      let canonical = pairs.sorted { $0 < $1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
      pairs.append(("sig", hexHMAC(key: hmacKey, message: canonical)))
    }
    return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
  }

  /// Returns the lowercase hex HMAC-SHA256 of `message` under `key`.
  static func hexHMAC(key: String, message: String) -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    let keyBytes = Array(key.utf8)
    let messageBytes = Array(message.utf8)
    let status = ct_hmac_sha256(
      keyBytes, Int32(keyBytes.count), messageBytes, messageBytes.count, &digest)
    precondition(status == 1, "HMAC-SHA256 failed in libcrypto")
    let digits = Array("0123456789abcdef")
    return String(digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
  }
}

/// Click IDs in the service's layout (docs/endpoints.md): 20 base64url characters that
/// encode the time in milliseconds (48 bits) and 72 random bits. The simulator makes them
/// for postbacks of unknown clicks and for `--fast` logs.
enum ClickIDs {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

  static func make(timestamp: Int64, random: inout SimulationRandom) -> String {
    var bytes: [UInt8] = (0..<6).map {
      UInt8(truncatingIfNeeded: UInt64(timestamp) >> (8 * (5 - $0)))
    }
    let first = random.next()
    let second = random.next()
    bytes += (0..<8).map { UInt8(truncatingIfNeeded: first >> (8 * $0)) }
    bytes.append(UInt8(truncatingIfNeeded: second))
    var text = ""
    for group in stride(from: 0, to: 15, by: 3) {
      let value =
        UInt32(bytes[group]) << 16 | UInt32(bytes[group + 1]) << 8 | UInt32(bytes[group + 2])
      for shift in [18, 12, 6, 0] { text.append(alphabet[Int(value >> UInt32(shift) & 0x3F)]) }
    }
    return text
  }
}
