import ClicktrailSupport

/// Sends the planned events to the running service in time order, setting the service's
/// clock to each event's time first and flushing its logs at fixed points of the schedule.
struct Replay {
  /// Counts of the requests sent and of the service's responses.
  struct Counters {
    var visits = 0
    var botVisits = 0
    var previews = 0
    var clicks = 0
    var postbacks = 0
    var postbacksAccepted = 0
    var conversions = 0
    var unexpectedAnswers = 0
    /// The click ID of every visit the service redirected, taken from the Location field.
    var visitClickIDs: Set<String> = []
  }

  private struct Visit {
    var clickID: String
    var lander: String
    var offer: String
    var visitCookie: String?
    var landerURL: String
    var clicked = false
  }

  let schedule: Schedule
  let messages: [Message]
  let catalogue: ScenarioCatalogue
  let client: LoopbackClient
  let clock: ManualWallClock
  let flush: () -> Void

  private var visits: [Visit?] = []
  private var visitorCookies: [Int: String] = [:]
  private var decided: [Bool?] = []
  private(set) var counters = Counters()

  init(
    schedule: Schedule, messages: [Message], catalogue: ScenarioCatalogue,
    client: LoopbackClient, clock: ManualWallClock, flush: @escaping () -> Void
  ) {
    self.schedule = schedule
    self.messages = messages
    self.catalogue = catalogue
    self.client = client
    self.clock = clock
    self.flush = flush
    visits = Array(repeating: nil, count: schedule.slotMessages.count)
    decided = Array(repeating: nil, count: schedule.candidates.count)
  }

  /// Sends every event. Logs are flushed before the first event of each new 10 simulated
  /// minutes and after every 1,000 requests. So no stream's pending lines reach the writer's
  /// 1 MiB member size, which would start a flush at a moment that depends on timing.
  mutating func run(progress: ((Int, Int) -> Void)?) throws(LoopbackClient.ClientError) {
    var nextFlush = Int64.min
    var requestsSinceFlush = 0
    let total = schedule.events.count
    for (index, event) in schedule.events.enumerated() {
      clock.set(milliseconds: event.time)
      if event.time >= nextFlush || requestsSinceFlush >= 1_000 {
        flush()
        nextFlush = (event.time / 600_000 + 1) * 600_000
        requestsSinceFlush = 0
      }
      if try send(event.action) { requestsSinceFlush += 1 }
      if let progress, index % 5_000 == 0 { progress(index, total) }
    }
  }

  /// Sends the request of `action` when its conditions hold; returns whether it sent one.
  private mutating func send(_ action: PlannedEvent.Action) throws(LoopbackClient.ClientError)
    -> Bool
  {
    switch action {
    case .open(let index, let slot):
      try open(index, slot: slot)
    case .fetch(let code, let agent, let method):
      let response = try client.send(method, "/\(code)", headers: [("User-Agent", agent)])
      guard response.status == 302, let location = response.header("location") else {
        counters.unexpectedAnswers += 1
        return true
      }
      if UserAgents.bots.contains(agent) {
        counters.botVisits += 1
        counters.visits += 1
        if let clickID = Self.clickID(in: location) { counters.visitClickIDs.insert(clickID) }
      } else {
        counters.previews += 1
      }
    case .click(let slot, let draw, let factor):
      guard var visit = visits[slot] else { return false }
      let segment = Scenario.segments[messages[schedule.slotMessages[slot]].segment]
      let rate = segment.landerCTR * (Scenario.landerFactors[visit.lander] ?? 1) * factor
      guard draw < rate else { return false }
      var headers = visitorHeaders(schedule.slotMessages[slot], visitCookie: visit.visitCookie)
      headers.append(("Referer", visit.landerURL))
      let response = try client.send("GET", "/click?cid=\(visit.clickID)", headers: headers)
      counters.clicks += 1
      guard response.status == 302, let location = response.header("location") else {
        counters.unexpectedAnswers += 1
        return true
      }
      visit.offer = Self.offer(in: location)
      visit.clicked = true
      visits[slot] = visit
    case .postback(let plan):
      return try postback(plan)
    }
    return true
  }

  private mutating func open(_ index: Int, slot: Int) throws(LoopbackClient.ClientError) {
    let message = messages[index]
    let code = catalogue.link(campaign: message.campaign, segment: message.segment).code
    let response = try client.send(
      "GET", "/\(code)", headers: visitorHeaders(index, visitCookie: nil))
    guard response.status == 302, let location = response.header("location"),
      let clickID = Self.clickID(in: location)
    else {
      counters.unexpectedAnswers += 1
      return
    }
    counters.visits += 1
    counters.visitClickIDs.insert(clickID)
    var visitCookie: String?
    for cookie in response.headers("set-cookie") {
      let pair = cookie.prefix { $0 != ";" }
      if pair.hasPrefix("ct_vid=") { visitorCookies[index] = String(pair) }
      if pair.hasPrefix("ct_visit=") { visitCookie = String(pair) }
    }
    let lander =
      location.contains("/quiz/") ? "quiz" : location.contains("/story/") ? "story" : ""
    visits[slot] = Visit(
      clickID: clickID, lander: lander, offer: lander.isEmpty ? Self.offer(in: location) : "",
      visitCookie: visitCookie, landerURL: location)
  }

  private mutating func postback(_ plan: PostbackPlan) throws(LoopbackClient.ClientError)
    -> Bool
  {
    var clickID: String
    var offer = "vpn-monthly"
    switch plan.target {
    case .unknown(let id):
      clickID = id
    case .candidate(let index):
      let candidate = schedule.candidates[index]
      guard let visit = visits[candidate.slot] else { return false }
      if decided[index] == nil {
        let message = messages[schedule.slotMessages[candidate.slot]]
        let segment = Scenario.segments[message.segment]
        let direct = Scenario.campaigns[message.campaign].directLinking
        let rate =
          segment.conversionRate * (Scenario.offerFactors[visit.offer] ?? 0)
          * (direct ? Scenario.directConversionFactor : 1)
        decided[index] = (direct || visit.clicked) && candidate.draw < rate
        if decided[index] == true { counters.conversions += 1 }
      }
      guard decided[index] == true else { return false }
      clickID = visit.clickID
      offer = visit.offer
    }
    let query = PostbackSigner.query(
      [
        ("cid", clickID), ("txid", plan.transactionID), ("status", plan.status),
        ("payout", Scenario.offerPayouts[offer] ?? "0"), ("currency", "USD"),
      ], secret: ScenarioCatalogue.networkSecret, hmacKey: ScenarioCatalogue.networkHMACSecret)
    let response = try client.send(
      "GET", "/postback?\(query)", headers: [("User-Agent", "affnet-postback/3.2")])
    counters.postbacks += 1
    if response.status == 200 { counters.postbacksAccepted += 1 }
    return true
  }

  private func visitorHeaders(_ index: Int, visitCookie: String?) -> [(String, String)] {
    var headers = [
      ("User-Agent", messages[index].agent),
      ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
      ("Accept-Language", "en-US,en;q=0.9"),
    ]
    let cookies = [visitorCookies[index], visitCookie].compactMap { $0 }
    if !cookies.isEmpty { headers.append(("Cookie", cookies.joined(separator: "; "))) }
    return headers
  }

  /// Returns the click ID in a lander URL (`cid=`) or an offer URL (`sub1=`).
  static func clickID(in location: String) -> String? {
    for name in ["cid", "sub1"] {
      if let value = queryValue(name, in: location) { return value }
    }
    return nil
  }

  /// Returns the offer key of an offer URL from its `o` argument.
  static func offer(in location: String) -> String {
    queryValue("o", in: location) == "annual" ? "vpn-annual" : "vpn-monthly"
  }

  private static func queryValue(_ name: String, in url: String) -> String? {
    guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else {
      return nil
    }
    for pair in query.split(separator: "&") where pair.hasPrefix("\(name)=") {
      return String(pair.dropFirst(name.count + 1))
    }
    return nil
  }
}
