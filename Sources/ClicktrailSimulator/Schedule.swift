/// One request the simulator will send, at its simulated time. `sequence` orders events of
/// the same millisecond in the order they were planned.
struct PlannedEvent {
  enum Action {
    /// A recipient opens the link; the visit's click ID goes to `slot`.
    case open(message: Int, slot: Int)
    /// A preview fetcher, link scanner or crawler fetches a link.
    case fetch(code: String, agent: String, method: String)
    /// The visitor of `slot` may click the lander's call to action: when `draw` is below the
    /// segment's CTR times the lander's factor times `factor`.
    case click(slot: Int, draw: Double, factor: Double)
    /// The network reports a conversion.
    case postback(PostbackPlan)
  }

  let time: Int64
  let sequence: Int
  let action: Action
}

/// One postback request of a conversion, or of a click ID the service never issued.
struct PostbackPlan {
  enum Target {
    /// The conversion candidate with this index; it happens or not at its first postback.
    case candidate(Int)
    /// A click ID that no visit had.
    case unknown(clickID: String)
  }

  let target: Target
  let transactionID: String
  let status: String
}

/// A visit that may lead to a conversion: it converts when `draw` is below its rate.
struct ConversionCandidate {
  let slot: Int
  let draw: Double
}

/// Every request of a run, planned before any is sent and sorted by time.
struct Schedule {
  private(set) var events: [PlannedEvent] = []
  private(set) var slotMessages: [Int] = []
  private(set) var candidates: [ConversionCandidate] = []
  private var sequence = 0

  /// Plans the requests that `messages` cause, plus crawler hits and postbacks for unknown
  /// click IDs spread over the run.
  static func build(
    messages: [Message], catalogue: ScenarioCatalogue, start: Int64, days: Int,
    random: inout SimulationRandom
  ) -> Schedule {
    var schedule = Schedule()
    for (index, message) in messages.enumerated() where message.status == .delivered {
      schedule.planRecipient(index, message, catalogue: catalogue, random: &random)
    }
    let span = Int64(days + 2) * 86_400_000
    for _ in 0..<max(1, messages.count / 200) {
      let link = catalogue.links[random.integer(in: 0...(catalogue.links.count - 1))]
      let agent = UserAgents.bots[random.integer(in: 0...(UserAgents.bots.count - 1))]
      let time = start + Int64(random.unit() * Double(span))
      schedule.add(time, .fetch(code: link.code, agent: agent, method: "GET"))
    }
    for _ in 0..<max(1, messages.count / 1_000) {
      let time = start + Int64(random.unit() * Double(span))
      let clickID = ClickIDs.make(timestamp: time - 3_600_000, random: &random)
      let plan = PostbackPlan(
        target: .unknown(clickID: clickID), transactionID: random.hex(count: 16),
        status: "approved")
      schedule.add(time, .postback(plan))
    }
    schedule.events.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
    return schedule
  }

  private mutating func add(_ time: Int64, _ action: PlannedEvent.Action) {
    events.append(PlannedEvent(time: time, sequence: sequence, action: action))
    sequence += 1
  }

  private mutating func planRecipient(
    _ index: Int, _ message: Message, catalogue: ScenarioCatalogue,
    random: inout SimulationRandom
  ) {
    let code = catalogue.link(campaign: message.campaign, segment: message.segment).code
    if message.device.isIPhone, random.chance(0.2) {
      let time = message.deliveredAt + Int64(random.integer(in: 1_000...4_000))
      add(time, .fetch(code: code, agent: UserAgents.iMessagePreview, method: "GET"))
    }
    if random.chance(0.02) {
      let time = message.deliveredAt + Int64(random.integer(in: 500...3_000))
      add(time, .fetch(code: code, agent: UserAgents.linkScanner, method: "HEAD"))
    }
    guard random.chance(Scenario.segments[message.segment].openRate) else { return }
    // Most recipients open within the first hour; a long tail opens days later.
    let delay =
      random.chance(0.85)
      ? random.exponential(mean: 20 * 60_000)
      : random.logUniform(from: 3_600_000, to: 4 * 86_400_000)
    let firstOpen = message.deliveredAt + 1_000 + Int64(delay)
    planOpen(index, message, at: firstOpen, factor: 1, random: &random)
    if random.chance(0.10) {
      let again = firstOpen + Int64(random.logUniform(from: 600_000, to: 2 * 86_400_000))
      planOpen(index, message, at: again, factor: 0.5, random: &random)
    }
    if random.chance(0.03) {
      let agents = UserAgents.forwardPreviews
      let agent = agents[random.integer(in: 0...(agents.count - 1))]
      let time = firstOpen + Int64(random.logUniform(from: 60_000, to: 1_800_000))
      add(time, .fetch(code: code, agent: agent, method: "GET"))
    }
  }

  private mutating func planOpen(
    _ index: Int, _ message: Message, at time: Int64, factor: Double,
    random: inout SimulationRandom
  ) {
    let slot = slotMessages.count
    slotMessages.append(index)
    add(time, .open(message: index, slot: slot))
    let campaign = Scenario.campaigns[message.campaign]
    var base = time
    if !campaign.directLinking {
      base = time + 8_000 + Int64(random.exponential(mean: 40_000))
      add(base, .click(slot: slot, draw: random.unit(), factor: factor))
    }
    let candidate = candidates.count
    candidates.append(ConversionCandidate(slot: slot, draw: random.unit() / factor))
    let window = Int64(campaign.attributionWindowDays) * 86_400_000
    var at: Int64
    if random.chance(0.03) {
      at = time + window + Int64(random.logUniform(from: 3_600_000, to: 3 * 86_400_000))
    } else {
      let delay = random.weighted([
        (random.exponential(mean: 15 * 60_000) + 60_000, 0.55),
        (random.logUniform(from: 3_600_000, to: 86_400_000), 0.35),
        (random.logUniform(from: 86_400_000, to: 4 * 86_400_000), 0.10),
      ])
      at = base + Int64(delay)
    }
    let transactionID = random.hex(count: 16)
    let flow = random.unit()
    var statuses: [String]
    if flow < 0.70 {
      statuses = ["approved"]
    } else if flow < 0.92 {
      statuses = ["pending", random.chance(0.65) ? "approved" : "declined"]
    } else {
      statuses = ["declined"]
    }
    for (position, status) in statuses.enumerated() {
      if position > 0 { at += Int64(random.logUniform(from: 6 * 3_600_000, to: 5 * 86_400_000)) }
      let plan = PostbackPlan(
        target: .candidate(candidate), transactionID: transactionID, status: status)
      add(at, .postback(plan))
      // Some networks send the same postback twice: an exact duplicate seconds later.
      if random.chance(0.06) {
        add(at + Int64(random.logUniform(from: 5_000, to: 900_000)), .postback(plan))
      }
    }
  }
}
