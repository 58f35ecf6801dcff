import ClicktrailCatalogue
import Foundation
import Testing

@Suite struct CatalogueLoadingTests {
  @Test func exampleLoads() throws {
    let catalogue = try Catalogue.load(contentsOf: CatalogueFixtures.exampleURL)
    #expect(catalogue.service.publicURL == "https://go.example.com")
    #expect(catalogue.trafficSources.map(\.name) == ["gateway", "partner"])
    #expect(catalogue.campaigns.map(\.key) == ["spring", "direct"])
    #expect(catalogue.shortLinks.map(\.code) == ["k7Qx2", "k7Qx3", "pBer1"])
    #expect(catalogue.networks.first?.ipAllowlist.count == 2)
  }

  @Test func exampleLookups() throws {
    let catalogue = try Catalogue.load(contentsOf: CatalogueFixtures.exampleURL)
    let spring = try #require(catalogue.campaign(key: "spring"))
    #expect(spring.attributionWindowDays == 14)
    #expect(spring.destination.landers.map(\.weight) == [3, 1])
    #expect(!spring.destination.isDirectLinking)
    #expect(catalogue.campaign(key: "direct")?.destination.isDirectLinking == true)
    #expect(catalogue.campaign(key: "direct")?.attributionWindowDays == 30)
    #expect(catalogue.campaign(key: "missing") == nil)
    let link = try #require(catalogue.shortLink(code: "k7Qx2"))
    #expect(
      link.parameters == [.init(name: "gender", value: "male"), .init(name: "age", value: "25-34")])
    #expect(catalogue.shortLink(code: "K7QX2") == nil)
    #expect(catalogue.trafficSource(name: "partner")?.placeholder == "REPLACE")
    #expect(catalogue.trafficSource(name: "partner")?.costModel.currency == nil)
    #expect(catalogue.offer(key: "vpn-trial")?.payout == Decimal(string: "2.5"))
  }

  @Test func campaignURLsCarryValuesAndPlaceholders() throws {
    let catalogue = try Catalogue.load(contentsOf: CatalogueFixtures.exampleURL)
    let spring = try #require(catalogue.campaign(key: "spring"))
    #expect(
      catalogue.templateURL(campaign: spring)
        == "https://go.example.com/c/spring?gender=REPLACE&age=REPLACE")
    #expect(
      catalogue.campaignURL(campaign: spring, values: ["age": "18+ & up", "gender": nil])
        == "https://go.example.com/c/spring?gender=REPLACE&age=18%2B%20%26%20up")
  }

  @Test func syntaxErrorNamesLineAndColumn() {
    let json = "{\n  \"service\": {},\n  oops\n}\n"
    #expect(
      CatalogueFixtures.problems(json) == [
        "invalid JSON at line 3, column 3 (byte offset 21): Invalid value"
      ])
  }

  @Test func truncatedFileIsReported() {
    #expect(
      CatalogueFixtures.problems("{\"service\": ")
        == ["invalid JSON: Unexpected end of file during JSON parse"])
  }

  @Test func typeErrorNamesPath() {
    let campaigns = CatalogueFixtures.campaign(
      #""key": "spring", "source": "gateway", "destination": {"offers": [{"key": "trial", "weight": "3"}]}"#
    )
    #expect(
      CatalogueFixtures.problems(CatalogueFixtures.json(["campaigns": campaigns]))
        == ["campaigns[0].destination.offers[0].weight: expected a number"])
  }

  @Test func topLevelMustBeObject() {
    #expect(CatalogueFixtures.problems("[1, 2]") == ["the top level must be a JSON object"])
  }

  @Test func unreadableFileIsReported() {
    let url = URL(fileURLWithPath: "/nonexistent/clicktrail/catalogue.json")
    #expect(throws: CatalogueError.self) { try Catalogue.load(contentsOf: url) }
  }

  @Test func everyProblemIsCollected() {
    let json = CatalogueFixtures.json([
      "campaigns": CatalogueFixtures.campaign(
        #""key": "spring", "source": "smsgw", "network": "nope", "destination": {"offers": []}"#),
      "networks": #"[{"key": "affnet", "secret": "short"}]"#,
    ])
    #expect(
      CatalogueFixtures.problems(json) == [
        "networks[0] (key \"affnet\"): secret has 5 characters; it needs at least 16",
        "campaigns[0] (key \"spring\"): source \"smsgw\" is not a traffic source; "
          + "known sources: gateway",
        "campaigns[0] (key \"spring\"): destination.offers must list at least one offer",
        "campaigns[0] (key \"spring\"): network \"nope\" is not a network; known networks: affnet",
      ])
  }

  @Test func costFormulas() {
    func cost(_ kind: CostModel.Kind, _ value: Decimal) -> Decimal {
      CostModel(kind: kind, value: value, currency: "EUR")
        .cost(messagesDelivered: 1000, visits: 250, conversions: 4, revenue: 100)
    }
    #expect(cost(.perMessage, Decimal(string: "0.01")!) == 10)
    #expect(cost(.cpc, Decimal(string: "0.2")!) == 50)
    #expect(cost(.cpa, 5) == 20)
    #expect(cost(.cpm, 8) == 2)
    #expect(cost(.revshare, Decimal(string: "0.4")!) == 40)
    #expect(cost(.none, 0) == 0)
  }
}
