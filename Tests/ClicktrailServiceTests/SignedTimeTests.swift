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
    TimeCase(timestamp: "00\(now)", status: 200, reason: ""),
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

  /// Up to the last millisecond of the window's last second a repeat is a replay; from the
  /// next second on it is stale.
  @Test func repeatAtWindowEdge() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let query = Self.signedQuery([("cid", Self.clickID), ("ts", "\(Self.now)")])
    #expect(try client.request("GET", "/postback?\(query)").status == 200)
    let lastSecond = (Self.now + ServiceHarness.signatureWindowSeconds) * 1000
    harness.clock.set(milliseconds: lastSecond + 999)
    let edge = try client.request("GET", "/postback?\(query)")
    #expect(edge.status == 200)
    #expect(edge.body == "OK: already received\n")
    harness.clock.set(milliseconds: lastSecond + 1000)
    let late = try client.request("GET", "/postback?\(query)")
    #expect(late.status == 403)
    #expect(late.body == "Rejected: stale_timestamp\n")
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.map(\.accepted) == [true, false, false])
  }

  /// A `ts` as many whole seconds old as the window passes for the whole of that second.
  @Test func windowReachesBackWholeSeconds() throws {
    let harness = try ServiceHarness()
    harness.clock.set(milliseconds: ServiceHarness.start + 999)
    let oldest = Self.now - ServiceHarness.signatureWindowSeconds
    let query = Self.signedQuery([("cid", Self.clickID), ("ts", "\(oldest)")])
    #expect(try harness.client().request("GET", "/postback?\(query)").status == 200)
  }

  /// A postback rejected for its values does not use up its signature: the retry is
  /// rejected for the same reason, not taken for a replay.
  @Test func rejectedPostbackKeepsSignatureUnused() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let invalid = Self.signedQuery([
      ("cid", Self.clickID), ("payout", "1.1234567"), ("ts", "\(Self.now)"),
    ])
    for _ in 0..<2 {
      let response = try client.request("GET", "/postback?\(invalid)")
      #expect(response.status == 400)
      #expect(response.body == "Rejected: invalid_payout\n")
    }
    let valid = Self.signedQuery([("cid", Self.clickID), ("txid", "t3"), ("ts", "\(Self.now)")])
    // The body is not signed, so a copy sent first with a body the service rejects must not
    // block the real postback.
    let rejectedCopy = try client.request(
      "POST", "/postback?\(valid)", headers: [("Content-Type", "text/plain")], body: "x")
    #expect(rejectedCopy.status == 415)
    let delivered = try client.request("GET", "/postback?\(valid)")
    #expect(delivered.status == 200)
    #expect(delivered.body == "OK\n")
  }

  /// A reload that renames the network or widens its window keeps the signatures.
  @Test func reloadKeepsSignatures() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let window = ServiceHarness.signatureWindowSeconds
    let query = Self.signedQuery([("cid", Self.clickID), ("ts", "\(Self.now - window + 10)")])
    #expect(try client.request("GET", "/postback?\(query)").status == 200)
    let changed = ServiceHarness.catalogue
      .replacingOccurrences(of: "\"key\": \"windowed\"", with: "\"key\": \"renamed\"")
      .replacingOccurrences(
        of: "\"signature_window_seconds\": \(window)",
        with: "\"signature_window_seconds\": \(window * 2)")
    #expect(changed != ServiceHarness.catalogue)
    try harness.fixture.write(Array(changed.utf8), to: "catalogue.json")
    #expect(harness.running.reloadCatalogue())
    // Past the old window, inside the new one.
    harness.clock.advance(milliseconds: 30_000)
    let repeated = try client.request("GET", "/postback?\(query)")
    #expect(repeated.status == 200)
    #expect(repeated.body == "OK: already received\n")
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
  @Test func remembersUntilTimeLeavesLongestWindow() {
    let replays = SignatureReplayGuard()
    #expect(replays.firstUse(signature: "AB", signedAt: 100, window: 10, now: 100_000))
    #expect(!replays.firstUse(signature: "ab", signedAt: 100, window: 10, now: 100_500))
    #expect(replays.firstUse(signature: "cd", signedAt: 100, window: 10, now: 101_000))
    #expect(replays.count == 2)
    // The next sweep comes 60 s after the first. A signature signed at 100 passes a 10 s
    // window until 110.999 s, so both are dropped then.
    #expect(replays.firstUse(signature: "ef", signedAt: 160, window: 10, now: 160_000))
    #expect(replays.count == 1)
  }

  /// A longer window seen later keeps older signatures that it still covers.
  @Test func sweepKeepsWhatLongestWindowCovers() {
    let replays = SignatureReplayGuard()
    #expect(replays.firstUse(signature: "ab", signedAt: 100, window: 10, now: 100_000))
    #expect(replays.firstUse(signature: "cd", signedAt: 155, window: 100, now: 160_000))
    #expect(replays.count == 2)
    #expect(!replays.firstUse(signature: "ab", signedAt: 100, window: 100, now: 160_500))
  }
}
