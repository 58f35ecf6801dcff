import CCrypto
import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSupport

/// Checks a postback against the catalogue's networks: the shared secret, the optional
/// HMAC-SHA256 signature and the optional IP allowlist.
///
/// The network is the one whose `secret` equals the request's `secret` (or `token`)
/// argument; secrets are compared in constant time. When that network has an `hmac_secret`,
/// the request must carry `sig` (or `signature`): the lowercase hex HMAC-SHA256, under
/// `hmac_secret`, of the canonical string. The canonical string is every argument except the
/// signature itself, each written as `name=value` with both parts percent-encoded (only
/// `A-Z a-z 0-9 - . _ ~` left as they are), sorted by the encoded name and then the encoded
/// value, and joined by `&`.
///
/// When the network also has a `signature_window_seconds`, the signed arguments must include
/// `ts` (or `timestamp`), the Unix time in seconds, at most that many whole seconds from the
/// service's clock. The caller then accepts each such signature once (`SignatureReplayGuard`),
/// after every other check has passed, so that a postback rejected for its values can be
/// corrected and sent again.
public enum PostbackAuthenticator {
  /// A signed postback with a time, to accept once.
  public struct SignedTime: Sendable, Equatable {
    /// The lowercase hex signature.
    public var signature: String
    /// The signed time in Unix seconds.
    public var signedAt: Int64
    /// The network's `signature_window_seconds`.
    public var window: Int64
  }

  /// The outcome of the checks.
  public enum Outcome: Sendable, Equatable {
    /// The postback passed every check of `network`; `signedTime` is set when the network
    /// has a signature window.
    case accepted(network: String, signedTime: SignedTime?)
    /// The postback failed; the reason is written to the `reject_reason` column.
    case rejected(reason: String, network: String)
  }

  /// The reason logged for a repeat of an accepted signed postback. The service responds 200
  /// to the repeat, as to the first request, so that a network's retries stop.
  public static let replayedReason = "replayed"

  /// Checks `parameters` and `items` (all arguments, for the signature) from `clientAddress`
  /// at `now` (Unix milliseconds).
  public static func authenticate(
    parameters: PostbackParameters, items: [QueryItem], clientAddress: String,
    networks: [Network], now: Int64
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
      if let window = network.signatureWindowSeconds {
        return checkTime(
          parameters.timestampText, window: window, signature: expected, network: network.key,
          now: now)
      }
    }
    return .accepted(network: network.key, signedTime: nil)
  }

  /// Checks the signed time of a correctly signed postback.
  private static func checkTime(
    _ text: String?, window: Int, signature: String, network: String, now: Int64
  ) -> Outcome {
    guard let text, !text.isEmpty else {
      return .rejected(reason: "missing_timestamp", network: network)
    }
    // At most 12 digits: Unix seconds until the year 33658, and no overflow below.
    guard text.utf8.count <= 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let signedAt = Int64(text)
    else {
      return .rejected(reason: "invalid_timestamp", network: network)
    }
    // Whole seconds on both sides, so that the window reaches as far back as forward.
    guard abs(now.floorDivided(by: 1000) - signedAt) <= Int64(window) else {
      return .rejected(reason: "stale_timestamp", network: network)
    }
    return .accepted(
      network: network,
      signedTime: SignedTime(signature: signature, signedAt: signedAt, window: Int64(window)))
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
