import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailService
import Foundation
import Testing

/// Postbacks of a network with `signature_window_seconds`: a signed `ts` near the service's
/// clock, and each signature accepted once.
@Suite struct SignedTimeTests {
  static let clickID = "AaJBwscGYpfSB_s1bc0Y"
  /// The harness clock's start in Unix seconds.
  static let now = ServiceHarness.start / 1000

  /// Returns the query of a postback signed with the windowed network's key.
  static func signedQuery(_ arguments: [(String, String)]) -> String {
    let items =
      arguments.map { QueryItem(name: $0.0, value: $0.1) }
      + [QueryItem(name: "secret", value: ServiceHarness.windowedSecret)]
    let signature = PostbackAuthenticator.hexHMAC(
      key: ServiceHarness.windowedHMACSecret,
      message: PostbackAuthenticator.canonicalString(items))
    let query = items.map {
      PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value)
    }
    return query.joined(separator: "&") + "&sig=" + signature
  }

  @Test func signatureIsAcceptedOnce() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let query = Self.signedQuery([("cid", Self.clickID), ("txid", "t1"), ("ts", "\(Self.now)")])
    let first = try client.request("GET", "/postback?\(query)")
    #expect(first.status == 200)
    #expect(first.body == "OK\n")
    // A network that missed the first response retries, and the retry gets 200 too.
    let repeated = try client.request("GET", "/postback?\(query)")
    #expect(repeated.status == 200)
    #expect(repeated.body == "OK: already received\n")
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.map(\.accepted) == [true, false])
    #expect(postbacks.map(\.rejectReason) == ["", "replayed"])
    #expect(postbacks.map(\.network) == ["windowed", "windowed"])
    #expect(postbacks.first?.params == "ts=\(Self.now)")
  }

  /// The attack that a signature without time allows: a captured pending sent again after
  /// the approval. It is logged as rejected, so the report keeps the approval.
  @Test func capturedOlderStatusIsNotAcceptedAgain() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let pending = Self.signedQuery([
      ("cid", Self.clickID), ("txid", "t2"), ("status", "pending"), ("ts", "\(Self.now - 20)"),
    ])
    let approved = Self.signedQuery([
      ("cid", Self.clickID), ("txid", "t2"), ("status", "approved"), ("ts", "\(Self.now)"),
    ])
    for query in [pending, approved, pending] {
      #expect(try client.request("GET", "/postback?\(query)").status == 200)
    }
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.map(\.status) == [.pending, .approved, .pending])
    #expect(postbacks.map(\.accepted) == [true, true, false])
  }

  struct TimeCase: Sendable, CustomTestStringConvertible {
    let timestamp: String?
    let status: Int
    let reason: String
    var testDescription: String { "ts=\(timestamp ?? "none") → \(status) \(reason)" }
  }

  @Test(arguments: [
    TimeCase(timestamp: nil, status: 403, reason: "missing_timestamp"),
    TimeCase(timestamp: "", status: 403, reason: "missing_timestamp"),
    TimeCase(timestamp: "17648064OO", status: 403, reason: "invalid_timestamp"),
    TimeCase(timestamp: "-5", status: 403, reason: "invalid_timestamp"),
    TimeCase(timestamp: "+\(now)", status: 403, reason: "invalid_timestamp"),
    TimeCase(timestamp: "1764806400000", status: 403, reason: "invalid_timestamp"),
    TimeCase(timestamp: "\(now - 301)", status: 403, reason: "stale_timestamp"),
    TimeCase(timestamp: "\(now + 301)", status: 403, reason: "stale_timestamp"),
    TimeCase(timestamp: "0", status: 403, reason: "stale_timestamp"),
    TimeCase(timestamp: "\(now - 300)", status: 200, reason: ""),
    TimeCase(timestamp: "\(now + 300)", status: 200, reason: ""),
  ])
  func signedTimeIsChecked(time: TimeCase) throws {
    let harness = try ServiceHarness()
    var arguments = [("cid", Self.clickID)]
    if let timestamp = time.timestamp { arguments.append(("ts", timestamp)) }
    let response = try harness.client().request(
      "GET", "/postback?\(Self.signedQuery(arguments))")
    #expect(response.status == time.status)
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.count == 1)
    #expect(postbacks.first?.accepted == (time.status == 200))
    #expect(postbacks.first?.rejectReason == time.reason)
  }

  @Test func unsignedTimeIsNotTrusted() throws {
    let harness = try ServiceHarness()
    // A valid signature over other arguments, with `ts` added after signing.
    let query = Self.signedQuery([("cid", Self.clickID)]) + "&ts=\(Self.now)"
    let response = try harness.client().request("GET", "/postback?\(query)")
    #expect(response.status == 403)
    #expect(response.body == "Rejected: bad_signature\n")
  }

  /// Once its time has left the window, a repeat is stale rather than a replay.
  @Test func repeatAfterWindowIsStale() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let query = Self.signedQuery([("cid", Self.clickID), ("ts", "\(Self.now)")])
    #expect(try client.request("GET", "/postback?\(query)").status == 200)
    harness.clock.advance(milliseconds: (ServiceHarness.signatureWindowSeconds + 1) * 1000)
    let late = try client.request("GET", "/postback?\(query)")
    #expect(late.status == 403)
    #expect(late.body == "Rejected: stale_timestamp\n")
  }

  /// Networks without a window keep their behavior: `ts` is an ordinary argument, and a
  /// repeat is accepted and logged again.
  @Test func networkWithoutWindowIgnoresTime() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let query = "cid=\(Self.clickID)&ts=5&secret=\(ServiceHarness.secret)"
    for _ in 0..<2 {
      #expect(try client.request("GET", "/postback?\(query)").status == 200)
    }
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.map(\.accepted) == [true, true])
  }
}

@Suite struct SignatureReplayGuardTests {
  @Test func remembersUntilExpiry() {
    let replays = SignatureReplayGuard()
    #expect(replays.firstUse(network: "n", signature: "AB", expiry: 1_000, now: 0))
    #expect(!replays.firstUse(network: "n", signature: "ab", expiry: 1_000, now: 10))
    #expect(replays.firstUse(network: "other", signature: "ab", expiry: 1_000, now: 10))
    #expect(replays.count == 2)
    // Past its expiry a signature is new again, and the next sweep (60 s after the first)
    // drops the expired ones.
    #expect(replays.firstUse(network: "n", signature: "ab", expiry: 2_000, now: 1_500))
    #expect(replays.count == 2)
    #expect(replays.firstUse(network: "n", signature: "cd", expiry: 90_000, now: 60_000))
    #expect(replays.count == 1)
  }
}
