import ClicktrailLog
import ClicktrailService
import Foundation
import Testing

@Suite struct ClickEndpointTests {
  static func clickID(from response: LoopbackHTTPClient.Response) -> String? {
    VisitEndpointTests.queryValue("cid", in: response.header("Location"))
  }

  @Test func clickByIDRedirectsToOffer() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let visit = try client.request("GET", "/k7Qx2")
    let clickID = try #require(Self.clickID(from: visit))
    let click = try client.request("GET", "/click?cid=\(clickID)")
    let location = click.header("Location")
    #expect(click.status == 302)
    #expect(VisitEndpointTests.queryValue("sub1", in: location) == clickID)
    #expect(VisitEndpointTests.queryValue("l", in: location) == "quiz")
    #expect(VisitEndpointTests.queryValue("a", in: location) == "25-34")
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.kind) == [.visit, .click])
    #expect(clicks.last?.clickID == clickID)
    #expect(clicks.last?.campaign == "spring")
    #expect(clicks.last?.lander == "quiz")
    #expect(clicks.last?.offer == "trial")
  }

  @Test func clickWithoutIDUsesVisitCookie() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    let visit = try client.request("GET", "/c/spring")
    let cookie = try #require(
      visit.headers.first { $0.name == "Set-Cookie" && $0.value.hasPrefix("ct_visit=") })
    let pair = String(cookie.value.prefix { $0 != ";" })
    let click = try client.request("GET", "/click", headers: [("Cookie", pair)])
    #expect(click.status == 302)
    #expect(
      VisitEndpointTests.queryValue("sub1", in: click.header("Location"))
        == Self.clickID(from: visit))
  }

  @Test func clickFromAnotherProcessUsesCookieCampaign() throws {
    let harness = try ServiceHarness()
    let id = "AAAAAAAAAAAAAAAAAAAA"
    let click = try harness.client().request(
      "GET", "/click?cid=\(id)", headers: [("Cookie", "other=1; ct_visit=\(id).spring.quiz")])
    #expect(click.status == 302)
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.map(\.campaign) == ["spring"])
    #expect(clicks.map(\.lander) == ["quiz"])
  }

  @Test(arguments: [
    "/click", "/click?cid=unknownclickid", "/click?cid=bad%20id", "/click?cid=x&campaign=nope",
  ])
  func unknownClickIsNotFound(target: String) throws {
    let harness = try ServiceHarness()
    let response = try harness.client().request("GET", target)
    #expect(response.status == 404)
    #expect(response.header("Location") == nil)
    let (clicks, _) = try harness.stopAndReadEvents()
    #expect(clicks.isEmpty)
  }
}
