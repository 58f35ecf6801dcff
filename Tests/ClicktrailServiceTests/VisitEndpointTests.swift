import ClicktrailLog
import ClicktrailService
import Foundation
import Testing

@Suite struct VisitEndpointTests {
  static func queryValue(_ name: String, in location: String?) -> String? {
    URLComponents(string: location ?? "")?.queryItems?.first { $0.name == name }?.value
  }

  @Test func campaignURLRedirectsToLander() throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request(
      "GET", "/c/spring?gender=female&age=REPLACE&utm=x",
      headers: [("User-Agent", "Mozilla/5.0 (Linux; Android 14)"), ("Referer", "sms://")])
    let location = response.header("Location")
    #expect(response.status == 302)
    #expect(response.header("Cache-Control") == "no-store")
    #expect(location?.hasPrefix("https://lp.example.org/quiz/?cid=") == true)
    #expect(Self.queryValue("g", in: location) == "female")
    #expect(Self.queryValue("c", in: location) == "spring")
    let clickID = try #require(Self.queryValue("cid", in: location))
    #expect(clickID.count == 20)

    let (clicks, postbacks) = try harness.stopAndReadEvents()
    #expect(postbacks.isEmpty)
    #expect(clicks.count == 1)
    let visit = try #require(clicks.first)
    #expect(visit.kind == .visit)
    #expect(visit.clickID == clickID)
    #expect(visit.campaign == "spring")
    #expect(visit.source == "gateway")
    #expect(visit.lander == "quiz")
    #expect(visit.offer == "")
    #expect(visit.params == "gender=female&utm=x")
    #expect(visit.timestamp == ServiceHarness.start)
    #expect(visit.ip == "127.0.0.1")
    #expect(visit.userAgent == "Mozilla/5.0 (Linux; Android 14)")
    #expect(visit.referrer == "sms://")
    #expect(visit.visitor.count == 20)
  }

  @Test func shortLinkAddsItsFixedParameters() throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request("GET", "/k7Qx2?gender=female&extra=1")
    #expect(response.status == 302)
    #expect(Self.queryValue("g", in: response.header("Location")) == "male")
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.params) == ["gender=male&age=25-34&extra=1"])
  }

  @Test func directLinkingGoesToOffer() throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request("GET", "/c/direct?age=18-24")
    let location = response.header("Location")
    #expect(location?.hasPrefix("https://offers.example.net/go?sub1=") == true)
    #expect(Self.queryValue("a", in: location) == "18-24")
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.offer) == ["trial"])
    #expect(clicks.map(\.lander) == [""])
  }

  @Test func visitSetsCookiesAndReusesVisitor() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let first = try client.request("GET", "/c/spring")
    let cookies = first.headers.filter { $0.name == "Set-Cookie" }.map(\.value)
    #expect(cookies.count == 2)
    let visitorCookie = try #require(cookies.first { $0.hasPrefix("ct_vid=") })
    let visitor = String(visitorCookie.dropFirst(7).prefix { $0 != ";" })
    #expect(visitorCookie.contains("HttpOnly"))
    #expect(!visitorCookie.contains("Secure"))
    let second = try client.request("GET", "/c/spring", headers: [("Cookie", "ct_vid=\(visitor)")])
    #expect(second.headers.filter { $0.name == "Set-Cookie" }.count == 1)
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.visitor) == [visitor, visitor])
  }

  /// Hostile values must stay inside the query of the catalogue's URL.
  @Test(arguments: [
    "%2F%2Fevil.example", "https%3A%2F%2Fevil.example%2F",
    "a%0d%0aLocation:%20https://evil.example",
    "x%23frag", "%3Fq%3D1%26cid%3Dforged", "..%2F..%2Fadmin", "%E2%9C%93",
  ])
  func tokenValuesCannotEscapeTemplate(value: String) throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request("GET", "/c/spring?gender=\(value)")
    let location = try #require(response.header("Location"))
    let components = try #require(URLComponents(string: location))
    #expect(response.status == 302)
    #expect(components.host == "lp.example.org")
    #expect(components.path == "/quiz/")
    #expect(components.fragment == nil)
    #expect(components.queryItems?.map(\.name) == ["cid", "g", "c"])
    #expect(!location.contains("\r") && !location.contains("\n"))
    #expect(response.headers.filter { $0.name == "Location" }.count == 1)
  }

  @Test(arguments: [
    "/", "/c/", "/c/unknown", "/c/spring/extra", "/nosuchcode", "//evil.example", "/k7Qx2/x",
    "/https://evil.example",
  ])
  func unknownPathIsNotFound(path: String) throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request("GET", path)
    #expect(response.status == 404)
    #expect(response.header("Location") == nil)
    #expect(response.body.contains("<h1>Not found</h1>"))
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.isEmpty)
  }

  @Test(arguments: [
    ("HEAD", "Mozilla/5.0"), ("GET", "facebookexternalhit/1.1"),
    ("GET", "WhatsApp/2.23.20.0"), ("GET", "TelegramBot (like TwitterBot)"),
  ])
  func previewIsLoggedApartWithoutCookies(method: String, agent: String) throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request(method, "/k7Qx2", headers: [("User-Agent", agent)])
    #expect(response.status == 302)
    #expect(response.header("Location") != nil)
    #expect(response.header("Set-Cookie") == nil)
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.kind) == [.preview])
  }

  @Test func unsupportedMethodGets405() throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request("PUT", "/c/spring", body: "x")
    #expect(response.status == 405)
    #expect(response.header("Allow") == "GET, HEAD")
  }

  @Test func oversizedURLGets4xx() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let response = try client.request("GET", "/c/spring?x=" + String(repeating: "a", count: 70_000))
    #expect((400..<500).contains(response.status))
  }
}
