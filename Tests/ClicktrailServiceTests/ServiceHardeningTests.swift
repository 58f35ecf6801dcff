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

  /// The answer comes before any of the body is sent: a server that waited for the body would
  /// leave the read to fail after the client's timeout.
  @Test(arguments: ["16385", "10737418240", "99999999999999999999999"])
  func declaredOversizedBodyGets413Unread(length: String) throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let head =
      "POST /postback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\n"
      + "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    try client.sendAll(Array(head.utf8))
    let response = try client.readResponse()
    #expect(response.status == 413)
    #expect(response.header("Connection")?.lowercased() == "close")
    #expect(try harness.client().request("GET", "/healthz").status == 200)
    let (_, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.isEmpty)
  }

  @Test func chunkedBodyOverTheLimitGets413() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    var request =
      "POST /postback HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
      + "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    // 20 KiB in chunks of 4 KiB: no length is declared, so the limit applies as it arrives.
    for _ in 0..<5 { request += "1000\r\n" + String(repeating: "a", count: 4096) + "\r\n" }
    request += "0\r\n\r\n"
    try client.sendAll(Array(request.utf8))
    let response = try client.readResponse()
    #expect(response.status == 413)
    #expect(try harness.client().request("GET", "/healthz").status == 200)
    let metrics = try harness.client().request("GET", "/metrics")
    #expect(
      metrics.body.contains("clicktrail_requests_total{endpoint=\"other\",status=\"413\"} 1\n"))
  }

  @Test func bodyAtTheLimitIsRead() throws {
    let harness = try ServiceHarness()
    let prefix = "cid=\(Self.clickID)&secret=\(ServiceHarness.secret)&pad="
    let body = prefix + String(repeating: "a", count: 16 * 1024 - prefix.utf8.count)
    let response = try harness.client().request(
      "POST", "/postback", headers: [("Content-Type", "application/x-www-form-urlencoded")],
      body: body)
    #expect(response.status == 200)
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
