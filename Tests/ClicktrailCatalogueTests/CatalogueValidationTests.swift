import ClicktrailCatalogue
import Foundation
import Testing

/// One broken catalogue and the exact problems it must produce.
struct ValidationCase: Sendable, CustomTestStringConvertible {
  let name: String
  let overrides: [String: String]
  let expected: [String]

  var testDescription: String { name }

  init(_ name: String, _ overrides: [String: String], _ expected: String...) {
    self.name = name
    self.overrides = overrides
    self.expected = expected
  }
}

private let spring = CatalogueFixtures.springFields
private let campaignElement = "campaigns[0] (key \"spring\")"

/// Returns a campaigns section: the base campaign with `extra` fields appended.
private func springWith(_ extra: String) -> String {
  CatalogueFixtures.campaign(spring + ", " + extra)
}

/// Returns a campaigns section with the base campaign's destination replaced.
private func springDestination(_ destination: String) -> String {
  CatalogueFixtures.campaign(
    #""key": "spring", "source": "gateway", "destination": "# + destination)
}

private func network(_ fields: String) -> String {
  #"[{"key": "affnet", "secret": "0123456789abcdef", "# + fields + "}]"
}

private func source(costModel: String, extra: String = "") -> String {
  #"[{"name": "gateway", "parameters": ["gender", "age"], "cost_model": "# + costModel + extra
    + "}]"
}

private func lander(url: String) -> String {
  #"[{"key": "quiz", "url": ""# + url + #""}]"#
}

private func shortLink(_ fields: String) -> String {
  #"[{"code": "k7Qx2", "campaign": "spring", "params": {"gender": "male"}}, {"# + fields + "}]"
}

@Suite struct CatalogueValidationTests {
  static let cases: [ValidationCase] = [
    // MARK: Service
    ValidationCase("service missing", ["service": ""], "catalogue: service is missing"),
    ValidationCase(
      "public URL with query", ["service": #"{"public_url": "https://go.example.com/?a=1"}"#],
      #"service: public_url "https://go.example.com/?a=1" must be an absolute http or https URL with a host and no query or fragment"#
    ),
    ValidationCase(
      "cookie domain elsewhere",
      ["service": #"{"public_url": "https://go.example.com", "cookie_domain": "example.org"}"#],
      #"service: cookie_domain "example.org" does not cover "go.example.com", the host of public_url, so browsers would reject the cookie"#
    ),
    // MARK: Traffic sources
    ValidationCase(
      "duplicate source name",
      [
        "traffic_sources":
          #"[{"name": "gateway", "cost_model": {"type": "none"}}, {"name": "gateway", "cost_model": {"type": "none"}}]"#
      ],
      #"traffic_sources[1] (name "gateway"): duplicate name "gateway"; traffic_sources[0] has it too"#,
      #"short_links[0] (code "k7Qx2"): params name "gender" is not a parameter of source "gateway"; its parameters: none"#
    ),
    ValidationCase(
      "invalid parameter name",
      [
        "traffic_sources":
          #"[{"name": "gateway", "parameters": ["gender", "age group"], "cost_model": {"type": "none"}}]"#
      ],
      #"traffic_sources[0] (name "gateway"): parameters[1] "age group" must be 1 to 32 of A-Z a-z 0-9 _"#
    ),
    ValidationCase(
      "placeholder with ampersand",
      [
        "traffic_sources": source(
          costModel: #"{"type": "none"}"#, extra: #", "placeholder": "A&B""#)
      ],
      #"traffic_sources[0] (name "gateway"): placeholder "A&B" must be 1 to 32 printable ASCII characters without space or " # % & / = ? \"#
    ),
    ValidationCase(
      "unknown cost model", ["traffic_sources": source(costModel: #"{"type": "cpx"}"#)],
      #"traffic_sources[0] (name "gateway"): cost_model.type "cpx" is not a cost model; known: per_message, cpc, cpa, cpm, revshare, none"#
    ),
    ValidationCase(
      "revshare above one",
      ["traffic_sources": source(costModel: #"{"type": "revshare", "value": 1.5}"#)],
      #"traffic_sources[0] (name "gateway"): cost_model.value 1.5 must be from 0 to 1"#
    ),
    ValidationCase(
      "cpc without currency",
      ["traffic_sources": source(costModel: #"{"type": "cpc", "value": 0.1}"#)],
      #"traffic_sources[0] (name "gateway"): cost_model.currency is missing"#
    ),
    ValidationCase(
      "none with a price",
      ["traffic_sources": source(costModel: #"{"type": "none", "value": 2}"#)],
      #"traffic_sources[0] (name "gateway"): cost_model.value 2 must be 0 or left out for type "none""#
    ),
    // MARK: Landers and offers
    ValidationCase(
      "lander not http", ["landers": lander(url: "ftp://lp.example.org/q")],
      #"landers[0] (key "quiz"): url "ftp://lp.example.org/q" must be an absolute URL that starts with http:// or https://"#
    ),
    ValidationCase(
      "unknown token", ["landers": lander(url: "https://lp.example.org/q?id={click_id}")],
      #"landers[0] (key "quiz"): url "https://lp.example.org/q?id={click_id}" has the unknown token "{click_id}"; known tokens: {clickid}, {campaign}, {source}, {lander}, {offer}, {param:NAME}"#
    ),
    ValidationCase(
      "token in host", ["landers": lander(url: "https://{source}.example.org/q")],
      #"landers[0] (key "quiz"): url "https://{source}.example.org/q" must not have a token in the host; put tokens in the path, query or fragment"#
    ),
    ValidationCase(
      "unclosed brace", ["landers": lander(url: "https://lp.example.org/q?id={clickid")],
      #"landers[0] (key "quiz"): url "https://lp.example.org/q?id={clickid" has a "{" without a matching "}""#
    ),
    ValidationCase(
      "offer with bad currency and payout",
      [
        "offers":
          #"[{"key": "trial", "url": "https://offers.example.net/c", "payout": -1, "currency": "usd"}]"#
      ],
      #"offers[0] (key "trial"): payout -1 must be 0 or more"#,
      #"offers[0] (key "trial"): currency "usd" must be an ISO 4217 code of 3 capital letters"#
    ),
    ValidationCase(
      "payout too precise",
      [
        "offers":
          #"[{"key": "trial", "url": "https://offers.example.net/c", "payout": 0.1234567, "currency": "USD"}]"#
      ],
      #"offers[0] (key "trial"): payout 0.1234567 has more than 6 fraction digits"#
    ),
    // MARK: Networks
    ValidationCase(
      "short HMAC secret", ["networks": network(#""hmac_secret": "tiny""#)],
      #"networks[0] (key "affnet"): hmac_secret has 4 characters; it needs at least 16"#
    ),
    ValidationCase(
      "signature window without HMAC", ["networks": network(#""signature_window_seconds": 300"#)],
      #"networks[0] (key "affnet"): signature_window_seconds needs hmac_secret, since only a signed time can be trusted"#
    ),
    ValidationCase(
      "signature window of 0",
      [
        "networks": network(
          #""hmac_secret": "0123456789abcdef0", "signature_window_seconds": 0"#)
      ],
      #"networks[0] (key "affnet"): signature_window_seconds 0 must be a whole number from 1 to 86400"#
    ),
    ValidationCase(
      "signature window over a day",
      [
        "networks": network(
          #""hmac_secret": "0123456789abcdef0", "signature_window_seconds": 86401"#)
      ],
      #"networks[0] (key "affnet"): signature_window_seconds 86401 must be a whole number from 1 to 86400"#
    ),
    ValidationCase(
      "fractional signature window",
      [
        "networks": network(
          #""hmac_secret": "0123456789abcdef0", "signature_window_seconds": 1.5"#)
      ],
      #"networks[0] (key "affnet"): signature_window_seconds 1.5 must be a whole number from 1 to 86400"#
    ),
    ValidationCase(
      "CIDR prefix too long", ["networks": network(#""ip_allowlist": ["203.0.113.0/33"]"#)],
      #"networks[0] (key "affnet"): ip_allowlist[0] "203.0.113.0/33" has an invalid prefix length; use 0 to 32"#
    ),
    ValidationCase(
      "CIDR host bits", ["networks": network(#""ip_allowlist": ["2001:db8::1/32"]"#)],
      #"networks[0] (key "affnet"): ip_allowlist[0] "2001:db8::1/32" has host bits set; the network is 2001:db8::/32"#
    ),
    ValidationCase(
      "CIDR not an address", ["networks": network(#""ip_allowlist": ["203.0.113/24"]"#)],
      #"networks[0] (key "affnet"): ip_allowlist[0] "203.0.113/24" is not an IPv4 or IPv6 address"#
    ),
    // MARK: Campaigns
    ValidationCase(
      "invalid campaign key",
      [
        "campaigns": CatalogueFixtures.campaign(
          spring.replacingOccurrences(of: "\"spring\"", with: "\"spring sale\""))
      ],
      #"campaigns[0] (key "spring sale"): key "spring sale" must be 1 to 32 of A-Z a-z 0-9 _ -"#,
      #"short_links[0] (code "k7Qx2"): campaign "spring" is not a campaign; known campaigns: spring sale"#
    ),
    ValidationCase(
      "duplicate campaign key", ["campaigns": "[{\(spring)}, {\(spring)}]"],
      #"campaigns[1] (key "spring"): duplicate key "spring"; campaigns[0] has it too"#
    ),
    ValidationCase(
      "zero weight",
      ["campaigns": springDestination(#"{"offers": [{"key": "trial", "weight": 0}]}"#)],
      "\(campaignElement): destination.offers[0].weight 0 must be a whole number from 1 to 1000000"
    ),
    ValidationCase(
      "fractional weight",
      ["campaigns": springDestination(#"{"offers": [{"key": "trial", "weight": 1.5}]}"#)],
      "\(campaignElement): destination.offers[0].weight 1.5 must be a whole number from 1 to 1000000"
    ),
    ValidationCase(
      "unknown lander",
      [
        "campaigns": springDestination(
          #"{"landers": [{"key": "quizz", "weight": 1}], "offers": [{"key": "trial", "weight": 1}]}"#
        )
      ],
      "\(campaignElement): destination.landers[0].key \"quizz\" is not a lander; known landers: quiz"
    ),
    ValidationCase(
      "offer listed twice",
      [
        "campaigns": springDestination(
          #"{"offers": [{"key": "trial", "weight": 1}, {"key": "trial", "weight": 2}]}"#)
      ],
      "\(campaignElement): destination.offers[1].key \"trial\" is listed twice"
    ),
    ValidationCase(
      "empty landers",
      [
        "campaigns": springDestination(
          #"{"landers": [], "offers": [{"key": "trial", "weight": 1}]}"#)
      ],
      "\(campaignElement): destination.landers must list at least one lander, or be left out for direct linking"
    ),
    ValidationCase(
      "attribution window zero", ["campaigns": springWith(#""attribution_window_days": 0"#)],
      "\(campaignElement): attribution_window_days 0 must be a whole number from 1 to 365"
    ),
    ValidationCase(
      "attribution window too long", ["campaigns": springWith(#""attribution_window_days": 366"#)],
      "\(campaignElement): attribution_window_days 366 must be a whole number from 1 to 365"
    ),
    ValidationCase(
      "message without link", ["campaigns": springWith(#""message": "Hi there""#)],
      "\(campaignElement): message \"Hi there\" must contain {link} where the link goes"
    ),
    ValidationCase(
      "unknown field", ["campaigns": springWith(#""atribution_window_days": 7"#)],
      "campaigns[0]: unknown field \"atribution_window_days\"; known fields: key, source, destination, network, attribution_window_days, message"
    ),
    // MARK: Short links
    ValidationCase(
      "code too short", ["short_links": shortLink(#""code": "ab", "campaign": "spring""#)],
      #"short_links[1] (code "ab"): code "ab" must be 3 to 16 of A-Z a-z 0-9"#
    ),
    ValidationCase(
      "code reserved", ["short_links": shortLink(#""code": "Healthz", "campaign": "spring""#)],
      #"short_links[1] (code "Healthz"): code "Healthz" collides with a path the service reserves; reserved: c, click, postback, healthz, metrics"#
    ),
    ValidationCase(
      "code duplicate",
      [
        "short_links": shortLink(
          #""code": "k7Qx2", "campaign": "spring", "params": {"age": "18-24"}"#)
      ],
      #"short_links[1] (code "k7Qx2"): duplicate code "k7Qx2"; short_links[0] has it too"#
    ),
    ValidationCase(
      "unknown campaign", ["short_links": shortLink(#""code": "abc", "campaign": "autumn""#)],
      #"short_links[1] (code "abc"): campaign "autumn" is not a campaign; known campaigns: spring"#
    ),
    ValidationCase(
      "parameter not of source",
      [
        "short_links": shortLink(
          #""code": "abc", "campaign": "spring", "params": {"income": "high"}"#)
      ],
      #"short_links[1] (code "abc"): params name "income" is not a parameter of source "gateway"; its parameters: gender, age"#
    ),
    ValidationCase(
      "same segment twice",
      [
        "short_links": shortLink(
          #""code": "abc", "campaign": "spring", "params": {"gender": "male"}"#)
      ],
      #"short_links[1] (code "abc"): has the same campaign and params as short_links (code "k7Qx2")"#
    ),
  ]

  @Test(arguments: cases)
  func brokenCatalogueIsReported(_ testCase: ValidationCase) {
    let json = CatalogueFixtures.json(testCase.overrides)
    #expect(CatalogueFixtures.problems(json) == testCase.expected)
  }

  @Test func baseCatalogueIsValid() {
    #expect(CatalogueFixtures.problems(CatalogueFixtures.json()) == [])
  }

  @Test func signatureWindowIsRead() throws {
    let json = CatalogueFixtures.json([
      "networks": network(#""hmac_secret": "0123456789abcdef0", "signature_window_seconds": 300"#)
    ])
    let catalogue = try Catalogue.decode(Data(json.utf8))
    #expect(catalogue.networks.first?.signatureWindowSeconds == 300)
    let unsigned = try Catalogue.decode(Data(CatalogueFixtures.json().utf8))
    #expect(unsigned.networks.allSatisfy { $0.signatureWindowSeconds == nil })
  }
}
