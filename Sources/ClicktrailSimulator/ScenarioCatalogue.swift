/// The catalogue the simulator serves and writes to `catalogue.json`: one SMS gateway, the
/// `winter` campaign with two weighted landers and the `flash` campaign that links straight
/// to weighted offers, and one short link per campaign and segment.
struct ScenarioCatalogue {
  struct Link {
    let code: String
    let campaign: Int
    let segment: Int
  }

  static let publicURL = "https://go.example.com"
  static let networkKey = "affnet"
  static let networkSecret = "sim-postback-secret-2026"
  static let networkHMACSecret = "sim-postback-signing-key-2026"

  /// One link per campaign and segment, `links[campaign * segmentCount + segment]`.
  let links: [Link]

  /// Creates the links. Their codes come from a fixed seed, not the run's, so that every run
  /// uses the same links.
  init() {
    var random = SimulationRandom(seed: 0x5EED_C0DE)
    var codes = Set<String>()
    var links: [Link] = []
    for campaign in Scenario.campaigns.indices {
      for segment in Scenario.segments.indices {
        var code = random.alphanumeric(count: 5)
        while codes.contains(code) { code = random.alphanumeric(count: 5) }
        codes.insert(code)
        links.append(Link(code: code, campaign: campaign, segment: segment))
      }
    }
    self.links = links
  }

  /// Returns the link of `campaign` for `segment`.
  func link(campaign: Int, segment: Int) -> Link {
    links[campaign * Scenario.segments.count + segment]
  }

  /// Returns the public URL of `link`, as the SMS text carries it.
  func url(_ link: Link) -> String {
    "\(Self.publicURL)/\(link.code)"
  }

  /// Returns the catalogue as JSON text, with a fixed field order so that the file's bytes
  /// are the same in every run.
  func json() -> String {
    let campaigns = Scenario.campaigns.map { campaign in
      let destination =
        campaign.directLinking
        ? """
        "offers": [
                { "key": "vpn-monthly", "weight": 2 },
                { "key": "vpn-annual", "weight": 1 }
              ]
        """
        : """
        "landers": [
                { "key": "quiz", "weight": 3 },
                { "key": "story", "weight": 1 }
              ],
              "offers": [{ "key": "vpn-monthly", "weight": 1 }]
        """
      return """
            {
              "key": "\(campaign.key)",
              "source": "smsgw",
              "destination": {
                \(destination)
              },
              "network": "\(Self.networkKey)",
              "attribution_window_days": \(campaign.attributionWindowDays),
              "message": "\(campaign.message)"
            }
        """
    }
    let shortLinks = links.map { link in
      let segment = Scenario.segments[link.segment]
      return """
            { "code": "\(link.code)", "campaign": "\(Scenario.campaigns[link.campaign].key)", \
        "params": { "gender": "\(segment.gender)", "age": "\(segment.age)" } }
        """
    }
    return """
      {
        "service": { "public_url": "\(Self.publicURL)" },
        "traffic_sources": [
          {
            "name": "smsgw",
            "parameters": ["gender", "age"],
            "placeholder": "REPLACE",
            "cost_model": { "type": "per_message", "value": 0.0079, "currency": "USD" }
          }
        ],
        "landers": [
          {
            "key": "quiz",
            "url": "https://lp.example.org/quiz/?cid={clickid}&g={param:gender}&a={param:age}"
          },
          { "key": "story", "url": "https://lp.example.org/story/{campaign}?cid={clickid}" }
        ],
        "offers": [
          {
            "key": "vpn-monthly",
            "url": "https://offers.example.net/click?aff=77&o=monthly&sub1={clickid}&sub2={campaign}",
            "payout": 4.5,
            "currency": "USD"
          },
          {
            "key": "vpn-annual",
            "url": "https://offers.example.net/click?aff=77&o=annual&sub1={clickid}&sub2={campaign}",
            "payout": 18,
            "currency": "USD"
          }
        ],
        "networks": [
          {
            "key": "\(Self.networkKey)",
            "secret": "\(Self.networkSecret)",
            "hmac_secret": "\(Self.networkHMACSecret)"
          }
        ],
        "campaigns": [
      \(campaigns.joined(separator: ",\n"))
        ],
        "short_links": [
      \(shortLinks.joined(separator: ",\n"))
        ]
      }

      """
  }
}
