import CCrypto
import ClicktrailCatalogue
import ClicktrailLog

/// Checks a postback against the catalogue's networks: the shared secret, the optional
/// HMAC-SHA256 signature and the optional IP allowlist.
///
/// The network is the one whose `secret` equals the request's `secret` (or `token`)
/// argument; secrets are compared in constant time. When that network has an `hmac_secret`,
/// the request must carry `sig` (or `signature`): the lowercase hex HMAC-SHA256, under
/// `hmac_secret`, of the canonical string. The canonical string is every argument except the
/// signature itself, sorted by name and then value, each written as `name=value` with both
/// parts percent-encoded (only `A-Z a-z 0-9 - . _ ~` left as they are) and joined by `&`.
public enum PostbackAuthenticator {
  /// The outcome of the checks.
  public enum Outcome: Sendable, Equatable {
    /// The postback passed every check of `network`.
    case accepted(network: String)
    /// The postback failed; the reason is written to the `reject_reason` column.
    case rejected(reason: String, network: String)
  }

  /// Checks `parameters` and `items` (all arguments, for the signature) from `clientAddress`.
  public static func authenticate(
    parameters: PostbackParameters, items: [QueryItem], clientAddress: String,
    networks: [Network]
  ) -> Outcome {
    guard let secret = parameters.secret, !secret.isEmpty else {
      return .rejected(reason: "missing_secret", network: "")
    }
    guard let network = networks.first(where: { constantTimeEqual($0.secret, secret) }) else {
      return .rejected(reason: "bad_secret", network: "")
    }
    if !network.ipAllowlist.isEmpty,
      !network.ipAllowlist.contains(where: { $0.contains(clientAddress) })
    {
      return .rejected(reason: "ip_not_allowed", network: network.key)
    }
    if let hmacSecret = network.hmacSecret {
      guard let signature = parameters.signature, !signature.isEmpty else {
        return .rejected(reason: "missing_signature", network: network.key)
      }
      let expected = hexHMAC(key: hmacSecret, message: canonicalString(items))
      guard constantTimeEqual(expected, signature.lowercased()) else {
        return .rejected(reason: "bad_signature", network: network.key)
      }
    }
    return .accepted(network: network.key)
  }

  /// Returns the string that a signature covers: see the type's documentation.
  public static func canonicalString(_ items: [QueryItem]) -> String {
    let signatureNames = Set(PostbackParameters.signatureNames)
    var pairs: [(name: String, value: String)] = []
    for item in items where !signatureNames.contains(item.name) {
      pairs.append((PercentEncoding.encode(item.name), PercentEncoding.encode(item.value)))
    }
    pairs.sort { left, right in
      left.name != right.name ? left.name < right.name : left.value < right.value
    }
    return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
  }

  /// Returns the lowercase hex HMAC-SHA256 of `message` under `key`.
  public static func hexHMAC(key: String, message: String) -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    let keyBytes = Array(key.utf8)
    let messageBytes = Array(message.utf8)
    let status = ct_hmac_sha256(
      keyBytes, Int32(keyBytes.count), messageBytes, messageBytes.count, &digest)
    precondition(status == 1, "HMAC-SHA256 failed in libcrypto")
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    for byte in digest {
      hex.append(digits[Int(byte >> 4)])
      hex.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: hex, as: UTF8.self)
  }

  /// Compares two strings in time that depends only on their lengths.
  static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
    let leftBytes = Array(left.utf8)
    let rightBytes = Array(right.utf8)
    guard leftBytes.count == rightBytes.count else { return false }
    return ct_constant_time_compare(leftBytes, rightBytes, leftBytes.count) == 0
  }
}
