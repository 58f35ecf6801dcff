import ClicktrailLog
import ClicktrailService
import Foundation
import Testing

@Suite struct PostbackEndpointTests {
  static let clickID = "AaJBwscGYpfSB_s1bc0Y"
  static let secret = ServiceHarness.secret

  struct AliasCase: Sendable, CustomTestStringConvertible {
    let query: String
    let transactionID: String
    let status: PostbackEvent.Status
    let payout: Int64?
    let currency: String
    var testDescription: String { query }
  }

  @Test(arguments: [
    AliasCase(
      query: "cid=\(clickID)&txid=t1&status=approved&payout=2.5&currency=USD", transactionID: "t1",
      status: .approved, payout: 2_500_000, currency: "USD"),
    AliasCase(
      query: "clickid=\(clickID)&transaction_id=t2&sum=1&status=1", transactionID: "t2",
      status: .approved, payout: 1_000_000, currency: ""),
    AliasCase(
      query: "click_id=\(clickID)&tid=t3&amount=0.75&status=2&currency=eur", transactionID: "t3",
      status: .pending, payout: 750_000, currency: "EUR"),
    AliasCase(
      query: "subid=\(clickID)&status=3", transactionID: "", status: .declined, payout: nil,
      currency: ""),
    AliasCase(
      query: "aff_sub=\(clickID)&status=5", transactionID: "", status: .pending, payout: nil,
      currency: ""),
    AliasCase(
      query: "cid=\(clickID)", transactionID: "", status: .approved, payout: nil, currency: ""),
  ])
  func aliasesAreRead(alias: AliasCase) throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request(
      "GET", "/postback?\(alias.query)&secret=\(Self.secret)&goal=sale")
    #expect(response.status == 200)
    let (_, postbacks) = try harness.stopAndReadEvents()
    let postback = try #require(postbacks.first)
    #expect(postbacks.count == 1)
    #expect(postback.accepted)
    #expect(postback.clickID == Self.clickID)
    #expect(postback.transactionID == alias.transactionID)
    #expect(postback.status == alias.status)
    #expect(postback.payout?.micros == alias.payout)
    #expect(postback.currency == alias.currency)
    #expect(postback.network == "plain")
    #expect(postback.params == "goal=sale")
    #expect(postback.ip == "127.0.0.1")
  }

  struct RejectionCase: Sendable, CustomTestStringConvertible {
    let query: String
    let status: Int
    let reason: String
    var testDescription: String { reason }
  }

  @Test(arguments: [
    RejectionCase(query: "cid=\(clickID)", status: 403, reason: "missing_secret"),
    RejectionCase(
      query: "cid=\(clickID)&secret=wrong-secret-value", status: 403, reason: "bad_secret"),
    RejectionCase(
      query: "cid=\(clickID)&secret=\(ServiceHarness.allowlistSecret)", status: 403,
      reason: "ip_not_allowed"),
    RejectionCase(
      query: "cid=\(clickID)&secret=\(ServiceHarness.signedSecret)", status: 403,
      reason: "missing_signature"),
    RejectionCase(
      query: "cid=\(clickID)&secret=\(ServiceHarness.signedSecret)&sig=00ff", status: 403,
      reason: "bad_signature"),
    RejectionCase(query: "secret=\(secret)", status: 400, reason: "missing_click_id"),
    RejectionCase(query: "cid=a%20b&secret=\(secret)", status: 400, reason: "malformed_click_id"),
    RejectionCase(
      query: "cid=\(clickID)&status=maybe&secret=\(secret)", status: 400, reason: "unknown_status"),
    RejectionCase(
      query: "cid=\(clickID)&payout=1e3&secret=\(secret)", status: 400, reason: "invalid_payout"),
    RejectionCase(
      query: "cid=\(clickID)&currency=dollars&secret=\(secret)", status: 400,
      reason: "invalid_currency"),
  ])
  func rejectedPostbackIsLoggedWithReason(rejection: RejectionCase) throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request("GET", "/postback?\(rejection.query)")
    #expect(response.status == rejection.status)
    #expect(response.body == "Rejected: \(rejection.reason)\n")
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.count == 1)
    #expect(postbacks.first?.accepted == false)
    #expect(postbacks.first?.rejectReason == rejection.reason)
    #expect(postbacks.first?.params.contains("secret") == false)
  }

  /// The fuzzer's request: a network secret inside an argument's name reached `params`.
  @Test func secretInsideArgumentIsNotLogged() throws {
    let harness = try ServiceHarness()
    let secret = Self.secret
    let query =
      "cid=\(Self.clickID)&txid=tx-9&\(secret)urrency=us7Qx2&note=key:\(secret)!"
      + "&other=\(ServiceHarness.hmacSecret)x&secret=\(secret)&kept=1"
    let response = try harness.client().request("GET", "/postback?\(query)")
    #expect(response.status == 200)
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.first?.params == "kept=1")
  }

  @Test func signedPostbackIsAccepted() throws {
    let harness = try ServiceHarness()
    let arguments = [
      QueryItem(name: "cid", value: Self.clickID), QueryItem(name: "payout", value: "3"),
      QueryItem(name: "secret", value: ServiceHarness.signedSecret),
      QueryItem(name: "note", value: "a b&c"),
    ]
    let canonical = PostbackAuthenticator.canonicalString(arguments)
    #expect(
      canonical
        == "cid=\(Self.clickID)&note=a%20b%26c&payout=3&secret=\(ServiceHarness.signedSecret)")
    let signature = PostbackAuthenticator.hexHMAC(
      key: ServiceHarness.hmacSecret, message: canonical)
    let query = "cid=\(Self.clickID)&payout=3&secret=\(ServiceHarness.signedSecret)&note=a%20b%26c"
    let response = try harness.client().request(
      "GET", "/postback?\(query)&sig=\(signature.uppercased())")
    #expect(response.status == 200)
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.first?.network == "signed")
    #expect(postbacks.first?.params == "note=a%20b%26c")
  }

  /// RFC 4231, test case 2: HMAC-SHA256 with key "Jefe".
  @Test func hmacMatchesPublishedVector() {
    let digest = PostbackAuthenticator.hexHMAC(
      key: "Jefe", message: "what do ya want for nothing?")
    #expect(digest == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  @Test func postbackByFormBodyIsAccepted() throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request(
      "POST", "/postback", headers: [("Content-Type", "application/x-www-form-urlencoded")],
      body: "cid=\(Self.clickID)&payout=1.25&txid=order+42&secret=\(Self.secret)")
    #expect(response.status == 200)
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.first?.transactionID == "order 42")
    #expect(postbacks.first?.payout == Money(micros: 1_250_000))
  }

  @Test func replayedPostbackIsLoggedEachTime() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    for _ in 0..<3 {
      let response = try client.request(
        "GET", "/postback?cid=\(Self.clickID)&txid=t9&secret=\(Self.secret)")
      #expect(response.status == 200)
    }
    let (_, postbacks) = try harness.stopAndReadEvents()
    // The service keeps no state: the report counts a repeated transaction once.
    #expect(postbacks.map(\.transactionID) == ["t9", "t9", "t9"])
  }
}
