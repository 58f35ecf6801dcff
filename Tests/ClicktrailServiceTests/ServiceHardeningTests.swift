import ClicktrailLog
import ClicktrailService
import Foundation
import Testing

/// Requests that once got a visit logged without an answer, or values that reached the logs
/// unchecked.
@Suite struct ServiceHardeningTests {
  static let clickID = "AaJBwscGYpfSB_s1bc0Y"

  /// A request is answered and logged, or answered 414, or (beyond what libmicrohttpd's
  /// connection memory holds) closed; it is never logged without an answer.
  @Test(arguments: [200, 460, 600])
  func manyParametersAreAnsweredOrNotLogged(count: Int) throws {
    let harness = try ServiceHarness()
    let query = (0..<count).map { "p\($0)=v" }.joined(separator: "&")
    let response = try? harness.client().request("GET", "/c/spring?\(query)")
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.count == (response?.status == 302 ? 1 : 0))
    #expect(response == nil || response?.status == 302 || response?.status == 414)
    if count <= 460 {
      #expect(response?.status == 302)
    }
  }

  @Test func overlongValueGets414AndIsNotLogged() throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request(
      "GET", "/c/spring?gender=" + String(repeating: "a", count: 20_000))
    #expect(response.status == 414)
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.isEmpty)
  }

  @Test(arguments: ["<script>alert(1)</script>", "nolander", "quiz\tx"])
  func cookieLanderOutsideCampaignIsDropped(lander: String) throws {
    let harness = try ServiceHarness()
    let cookie = "ct_visit=\(Self.clickID).spring.\(lander)"
    let response = try harness.client().request("GET", "/click", headers: [("Cookie", cookie)])
    #expect(response.status == 302)
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.lander) == [""])
  }

  @Test func cookieLanderOfCampaignIsKept() throws {
    let harness = try ServiceHarness()
    let cookie = "ct_visit=\(Self.clickID).spring.quiz"
    _ = try harness.client().request("GET", "/click", headers: [("Cookie", cookie)])
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.lander) == ["quiz"])
  }

  @Test func nonFormBodyIsRejectedAndNotLogged() throws {
    let harness = try ServiceHarness()
    let body =
      "--b\r\nContent-Disposition: form-data; name=\"secret\"\r\n\r\n\(ServiceHarness.secret)\r\n--b--\r\n"
    let response = try harness.client().request(
      "POST", "/postback?cid=\(Self.clickID)",
      headers: [("Content-Type", "multipart/form-data; boundary=b")], body: body)
    #expect(response.status == 415)
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.map(\.rejectReason) == ["unsupported_content_type"])
    #expect(postbacks.first?.params.contains(ServiceHarness.secret) == false)
  }

  @Test func secretsNeverReachParams() throws {
    let harness = try ServiceHarness()
    let query =
      "cid=\(Self.clickID)&secret=\(ServiceHarness.secret)&Sig=abc&SECRET=x&TOKEN=y"
      + "&note=\(ServiceHarness.hmacSecret)"
    let response = try harness.client().request("GET", "/postback?\(query)")
    #expect(response.status == 200)
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.first?.params == "")
  }

  @Test func repeatedArgumentsAreKeptInParams() throws {
    let harness = try ServiceHarness()
    let query = "cid=\(Self.clickID)&cid=second&payout=1&payout=2&secret=\(ServiceHarness.secret)"
    _ = try harness.client().request("GET", "/postback?\(query)")
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.first?.clickID == Self.clickID)
    #expect(postbacks.first?.payout == Money(micros: 1_000_000))
    #expect(postbacks.first?.params == "cid=second&payout=2")
  }

  @Test func nulInArgumentDoesNotCutSignature() throws {
    let harness = try ServiceHarness()
    let arguments = [
      QueryItem(name: "cid", value: Self.clickID),
      QueryItem(name: "secret", value: ServiceHarness.signedSecret),
    ]
    let signature = PostbackAuthenticator.hexHMAC(
      key: ServiceHarness.hmacSecret, message: PostbackAuthenticator.canonicalString(arguments))
    let query = "cid=\(Self.clickID)&secret=\(ServiceHarness.signedSecret)&sig=\(signature)%00junk"
    let response = try harness.client().request("GET", "/postback?\(query)")
    #expect(response.status == 403)
    #expect(response.body == "Rejected: bad_signature\n")
  }

  @Test func ipv6ListenAddressNeedsBrackets() {
    #expect(throws: ListenAddressError(text: "::1:8080")) {
      try ListenAddress(parsing: "::1:8080")
    }
  }
}

@Suite struct ServerAnswerMetricsTests {
  @Test func serverAnswersAreCounted() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let long = try client.request("GET", "/c/spring?gender=" + String(repeating: "a", count: 5000))
    #expect(long.status == 414)
    let metrics = try client.request("GET", "/metrics")
    #expect(
      metrics.body.contains("clicktrail_requests_total{endpoint=\"other\",status=\"414\"} 1\n"))
  }
}
