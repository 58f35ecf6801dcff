import ClicktrailLog
import ClicktrailSupport

/// Writes large benchmark logs without HTTP: events in the service's format for the
/// scenario's catalogue, appended straight to an `EventLog`.
///
/// The mix is 70% visits, 18% lander clicks, 7% previews and 5% postbacks, spread evenly over
/// the run's days. Clicks and postbacks refer to recent visits of the right campaign. The
/// rates of the HTTP scenario do not apply here.
public enum FastLogs {
  /// Writes `events` events under `options.outputDirectory/logs` and the catalogue next to it.
  /// - Returns: The number of events written.
  public static func write(
    _ options: SimulationOptions, events: Int, progress: (@Sendable (String) -> Void)? = nil
  ) throws(SimulationError) -> Int {
    guard let start = SimulationOptions.startMilliseconds(options.startDate) else {
      throw SimulationError(description: "invalid start date '\(options.startDate)'")
    }
    let output = try OutputFolder(options.outputDirectory)
    let catalogue = ScenarioCatalogue()
    try output.write(catalogue.json(), to: "catalogue.json")
    let clock = ManualWallClock(milliseconds: start)
    let log = EventLog(
      root: output.logRoot,
      configuration: LogWriterConfiguration(
        flushInterval: .seconds(86_400), hostName: "sim", processID: 1, clock: clock,
        logger: Logger(label: "clicktrail.simulate", level: .warning, clock: clock)))
    var random = SimulationRandom(seed: options.seed)
    var recent: [(clickID: String, link: ScenarioCatalogue.Link, visitor: String)] = []
    let meanGap = Double(options.days) * 86_400_000 / Double(events)
    var time = Double(start)
    for index in 0..<events {
      time += random.exponential(mean: meanGap)
      let now = Int64(time)
      clock.set(milliseconds: now)
      // Flushing every 1,000 events keeps each hour's pending lines far below the 1 MiB that
      // would wake the flusher at a moment that depends on timing.
      if index % 1_000 == 0 {
        log.flush()
        if let progress, index % 1_000_000 == 0 { progress("wrote \(index) of \(events) events") }
      }
      let kind = random.weighted([(0, 0.70), (1, 0.18), (2, 0.07), (3, 0.05)])
      if kind == 0 || recent.isEmpty {
        let link = catalogue.links[random.integer(in: 0...(catalogue.links.count - 1))]
        let visit = (
          clickID: ClickIDs.make(timestamp: now, random: &random), link: link,
          visitor: ClickIDs.make(timestamp: now, random: &random)
        )
        log.append(event(visit, kind: .visit, at: now, random: &random))
        if recent.count < 4_096 {
          recent.append(visit)
        } else {
          recent[random.integer(in: 0...4_095)] = visit
        }
        continue
      }
      let visit = recent[random.integer(in: 0...(recent.count - 1))]
      switch kind {
      case 1: log.append(event(visit, kind: .click, at: now, random: &random))
      case 2: log.append(event(visit, kind: .preview, at: now, random: &random))
      default: log.append(postback(visit, at: now, random: &random))
      }
    }
    log.close()
    let statistics = log.statistics
    guard statistics.droppedEvents == 0, statistics.writeErrors == 0 else {
      throw SimulationError(
        description: "the log writer dropped \(statistics.droppedEvents) events and had "
          + "\(statistics.writeErrors) write errors under \(output.logRoot)")
    }
    return events
  }

  private static func event(
    _ visit: (clickID: String, link: ScenarioCatalogue.Link, visitor: String),
    kind: ClickEvent.Kind, at time: Int64, random: inout SimulationRandom
  ) -> ClickEvent {
    let campaign = Scenario.campaigns[visit.link.campaign]
    let direct = campaign.directLinking
    let lander = direct ? "" : random.chance(0.75) ? "quiz" : "story"
    let offer = random.chance(direct ? 0.67 : 1) ? "vpn-monthly" : "vpn-annual"
    let isPreview = kind == .preview
    let device = random.weighted(Device.shares)
    return ClickEvent(
      timestamp: time, kind: kind, clickID: visit.clickID, campaign: campaign.key,
      source: "smsgw", lander: kind == .click || !direct ? lander : "",
      offer: kind == .click || direct ? offer : "",
      params: kind == .click ? "" : Scenario.segments[visit.link.segment].label,
      visitor: isPreview ? "" : visit.visitor,
      userAgent: isPreview
        ? UserAgents.iMessagePreview : UserAgents.visitor(device, using: &random))
  }

  private static func postback(
    _ visit: (clickID: String, link: ScenarioCatalogue.Link, visitor: String), at time: Int64,
    random: inout SimulationRandom
  ) -> PostbackEvent {
    let status = random.weighted([
      (PostbackEvent.Status.approved, 0.72), (.pending, 0.20), (.declined, 0.08),
    ])
    return PostbackEvent(
      timestamp: time, clickID: visit.clickID, transactionID: random.hex(count: 16),
      status: status, payout: Money(micros: 4_500_000), currency: "USD",
      network: ScenarioCatalogue.networkKey, ip: "127.0.0.1")
  }
}
