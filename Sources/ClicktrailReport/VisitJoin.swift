import ClicktrailLog

/// The join of a report's visits with their clicks, summed into cells: the visits that share
/// texts, device, local hour and offer. Tables are then built from the cells, and unique
/// visits from one record per visit, so the work per visit is a few lookups.
struct VisitJoin {
  /// A cell's identity, as numbers into the sink's texts and profiles and the join's tables.
  struct CellKey: Hashable {
    var profile: UInt32
    var device: UInt32
    /// The offer of the last click, or the visit's own, in the sink's texts.
    var offer: UInt32
    var hour: UInt32
  }

  /// A visit in the range and not a bot, with the cell it counts in.
  struct JoinedVisit {
    var timestamp: Int64
    var cell: CellKey
  }

  /// One visit for unique visits: its local day, visitor and cell, 16 bytes.
  private struct VisitorRecord {
    var visitorHash: UInt64
    var day: Int32
    var cell: UInt32
  }

  let sink: ReportSink
  let settings: ReportSettings
  let classifier: DeviceClassifier
  let calendar: LocalCalendar
  var hours = InternTable<LocalHour>()
  private var devices = InternTable<DeviceClass>()
  /// The device of each user agent (by text number) of a visit in the range.
  private var deviceOfAgent: [UInt32: UInt32] = [:]
  /// Per UTC quarter hour, the number of its local hour and whether that lies in the range.
  private var quarterHours: [Int64: (hour: UInt32, inRange: Bool)] = [:]
  private var cells = InternTable<CellKey>()
  private(set) var cellCounts: [MetricCounts] = []
  private var visitors: [VisitorRecord] = []

  private(set) var visitsInRange = 0
  private(set) var visitsOutsideRange = 0
  private(set) var botVisits = 0
  private(set) var bots: [String: Int] = [:]
  private(set) var clicksRead = 0
  private(set) var clicksJoined = 0
  var distinctUserAgents: Int { deviceOfAgent.count }

  init(sink: ReportSink, settings: ReportSettings, classifier: DeviceClassifier) {
    self.sink = sink
    self.settings = settings
    self.classifier = classifier
    self.calendar = LocalCalendar(timeZone: settings.timeZone)
  }

  // MARK: - Visits

  /// Classifies the user agents of the visits in the range, then adds every visit to its
  /// cell, or to the counts of visits outside the range and of bots.
  mutating func addVisits() {
    var agents: Set<UInt32> = []
    sink.forEachVisit { visit, _ in
      if localHour(visit.timestamp).inRange { agents.insert(visit.userAgent) }
    }
    // Each distinct user agent is classified once, on every core.
    let agentNumbers = agents.sorted { sink.texts[$0] < sink.texts[$1] }
    let classes = classifier.classifyAll(agentNumbers.map { sink.texts[$0] })
    for (agent, device) in zip(agentNumbers, classes) {
      deviceOfAgent[agent] = devices.intern(device)
    }
    clicksRead = sink.clicks.sum { Int($0.count) }
    clicksRead += sink.otherClicks.values.reduce(0) { $0 + Int($1.count) }
    sink.forEachVisit { visit, clicks in add(visit, clicks: clicks) }
  }

  private mutating func add(_ visit: VisitEntry, clicks: ClickEntry?) {
    guard let joined = join(visit, clicks: clicks) else { return }
    visitsInRange += 1
    let cell = number(of: joined.cell)
    let clickCount = Int(clicks?.count ?? 0)
    clicksJoined += clickCount
    cellCounts[Int(cell)].visits += 1
    // A direct-linking visit goes straight to the offer: it is its own click.
    let directLinking = sink.texts[sink.profiles[visit.profile].lander].isEmpty
    cellCounts[Int(cell)].clicks += directLinking ? 1 : clickCount
    let day = hours[joined.cell.hour].date.daysSinceEpoch
    visitors.append(VisitorRecord(visitorHash: visit.visitorHash, day: Int32(day), cell: cell))
  }

  /// Returns the visit's cell, or nil (counting it) when it lies outside the range or is a
  /// bot.
  private mutating func join(_ visit: VisitEntry, clicks: ClickEntry?) -> JoinedVisit? {
    let hour = localHour(visit.timestamp)
    guard hour.inRange else {
      visitsOutsideRange += 1
      return nil
    }
    let device = deviceOfAgent[visit.userAgent]!
    let profile = sink.profiles[visit.profile]
    if devices[device].isBot {
      botVisits += 1
      bots[sink.texts[profile.campaign], default: 0] += 1
      return nil
    }
    let offer = clicks.map(\.lastOffer) ?? profile.offer
    return JoinedVisit(
      timestamp: visit.timestamp,
      cell: CellKey(profile: visit.profile, device: device, offer: offer, hour: hour.hour))
  }

  /// Returns the visit of `clickID` with its cell when it was read, lies in the range and is
  /// not a bot. Call after `addVisits()`.
  func joinedVisit(clickID: String) -> JoinedVisit? {
    guard let visit = sink.visit(clickID: clickID),
      let hour = quarterHours[visit.timestamp.floorDivided(by: 900_000)], hour.inRange,
      let device = deviceOfAgent[visit.userAgent], !devices[device].isBot
    else { return nil }
    let clicks = sink.clicks(clickID: clickID)
    let offer = clicks.map(\.lastOffer) ?? sink.profiles[visit.profile].offer
    return JoinedVisit(
      timestamp: visit.timestamp,
      cell: CellKey(profile: visit.profile, device: device, offer: offer, hour: hour.hour))
  }

  /// Adds a conversion to `cell`.
  mutating func addConversion(cell: CellKey, status: PostbackEvent.Status, payout: Money) {
    let index = Int(number(of: cell))
    let status = MetricCounts.index(of: status)
    cellCounts[index].conversionsByStatus[status] += 1
    cellCounts[index].revenueByStatus[status] = cellCounts[index].revenueByStatus[status] + payout
  }

  private mutating func number(of cell: CellKey) -> UInt32 {
    let number = cells.intern(cell)
    if Int(number) == cellCounts.count { cellCounts.append(MetricCounts()) }
    return number
  }

  private mutating func localHour(_ timestamp: Int64) -> (hour: UInt32, inRange: Bool) {
    let quarter = timestamp.floorDivided(by: 900_000)
    if let known = quarterHours[quarter] { return known }
    let hour = calendar.localHour(at: timestamp)
    let entry = (hours.intern(hour), settings.contains(hour.date))
    quarterHours[quarter] = entry
    return entry
  }

  // MARK: - Cells and unique visits

  /// Returns the facts of every cell, in cell number order.
  func cellFacts(decodingParameters decode: (String) -> [String: String]) -> [ReportBuilder
    .CellFacts]
  {
    var parameters: [UInt32: [String: String]] = [:]
    return cells.values.map { cell in
      let profile = sink.profiles[cell.profile]
      if parameters[profile.params] == nil {
        parameters[profile.params] = decode(sink.texts[profile.params])
      }
      return ReportBuilder.CellFacts(
        campaign: sink.texts[profile.campaign], source: sink.texts[profile.source],
        lander: sink.texts[profile.lander], offer: sink.texts[cell.offer],
        parameters: parameters[profile.params]!, device: devices[cell.device],
        hour: hours[cell.hour])
    }
  }

  /// Counts unique visits in every table: a visitor counts once per row and local day. The
  /// visit records are sorted by day and visitor, so each visitor's visits of a day are
  /// adjacent and a row counts them once, without a set per row.
  mutating func countUniqueVisits(into tables: inout [TableAccumulator]) {
    visitors.sort { ($0.day, $0.visitorHash) < ($1.day, $1.visitorHash) }
    var start = 0
    var rows: [Int32] = []
    while start < visitors.count {
      var end = start + 1
      while end < visitors.count && visitors[end].day == visitors[start].day
        && visitors[end].visitorHash == visitors[start].visitorHash
      {
        end += 1
      }
      for table in tables.indices {
        rows.removeAll(keepingCapacity: true)
        for index in start..<end {
          let row = tables[table].row(ofCell: Int(visitors[index].cell))
          if row >= 0 && !rows.contains(row) { rows.append(row) }
        }
        for row in rows { tables[table].counts[Int(row)].uniqueVisits += 1 }
      }
      start = end
    }
  }
}
