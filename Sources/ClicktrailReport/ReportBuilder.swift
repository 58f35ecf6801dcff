import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSends
import Foundation

/// Joins visits, clicks and postbacks by click ID and builds every table of the report.
public struct ReportBuilder {
  let settings: ReportSettings
  let catalogue: Catalogue?
  let sends: SendsTable?
  let classifier: DeviceClassifier
  /// The threads that join visits and count unique visits.
  public var workers = LogReadOptions.activeProcessorCount

  public init(
    settings: ReportSettings, catalogue: Catalogue?, sends: SendsTable?,
    classifier: DeviceClassifier
  ) {
    self.settings = settings
    self.catalogue = catalogue
    self.sends = sends
    self.classifier = classifier
  }

  /// What a cell of visits shares: the texts, device, hour and offer that every table groups
  /// by. Visits and conversions are summed per cell, and each table sums its cells.
  struct CellFacts {
    let campaign: String
    let source: String
    let lander: String
    /// The offer of the visit's last click, or the visit's own offer for direct linking.
    let offer: String
    let parameters: [String: String]
    let device: DeviceClass
    /// The visit's local hour, or the postback's for conversions counted on its day.
    let hour: LocalHour
  }

  /// The built report: its tables, the postback problems and the accounting.
  public struct Output {
    public var tables: [ReportTable]
    public var postbackProblems: [PostbackProblem]
    public var accounting: ReportAccounting
  }

  /// Builds the report from the merged sink.
  public func build(_ sink: ReportSink, accounting start: ReportAccounting) -> Output {
    var accounting = start
    var join = VisitJoin(sink: sink, settings: settings, classifier: classifier)
    join.addVisits(workers: workers)
    accounting.visitsOutsideRange = join.visitsOutsideRange
    accounting.bots = join.botVisits
    accounting.visitsInRange = join.visitsInRange
    accounting.distinctUserAgents = join.distinctUserAgents
    accounting.duplicateVisits = sink.duplicateVisits
    accounting.clicksJoined = join.clicksJoined
    accounting.clicksWithoutVisit = join.clicksRead - join.clicksJoined

    var previews: [String: Int] = [:]
    for (bucket, count) in sink.previews
    where inRange(join.calendar.localDate(at: bucket.quarterHour * 900_000)) {
      previews[bucket.campaign, default: 0] += count
      accounting.previews += count
    }
    accounting.postbacks = sink.postbacks.count
    let attribution = Attribution.conversions(from: sink)
    accounting.statusUpdates = attribution.statusUpdates
    var problems = attribution.problems
    for conversion in attribution.conversions {
      guard let visit = join.joinedVisit(conversion.clickID) else {
        let visitOutsideRange = visitBesideRange(conversion.clickID, calendar: join.calendar)
        if sink.visit(conversion.clickID) == nil && !visitOutsideRange {
          problems.append(
            problem(.orphan, conversion, sink: sink, detail: "no visit with this click ID"))
        } else {
          // The visit was read but lies outside the range, or was a bot.
          accounting.conversionsOutsideRange += 1
        }
        continue
      }
      let campaign = sink.texts[sink.profiles[visit.cell.profile].campaign]
      let window = Int64(catalogue?.campaign(key: campaign)?.attributionWindowDays ?? 30)
      if conversion.firstTimestamp - visit.timestamp > window * 86_400_000 {
        problems.append(
          problem(.expired, conversion, sink: sink, detail: "after the \(window)-day window"))
        continue
      }
      let payout = conversion.payout ?? defaultPayout(offer: sink.texts[visit.cell.offer])
      var cell = visit.cell
      if settings.conversionsOnPostbackDay {
        cell.hour = join.number(of: join.calendar.localHour(at: conversion.lastTimestamp))
      }
      join.addConversion(cell: cell, status: conversion.status, payout: payout)
      accounting.conversions += 1
    }
    for problem in problems { accounting.postbackProblems[problem.kind.rawValue, default: 0] += 1 }
    problems.sort {
      ($0.timestamp, $0.kind.rawValue, $0.clickID) < ($1.timestamp, $1.kind.rawValue, $1.clickID)
    }

    join.finishCells()
    var facts = CellFactsCache(join: join)
    let layouts = TableLayout.all(
      settings: settings, catalogue: catalogue, facts: facts.profileFacts())
    var tables: [TableAccumulator] = []
    var spaceOfTable: [Int] = []
    for layout in layouts {
      var table = TableAccumulator()
      // NOTE: every layout reads one of the cell spaces' combinations of parts.
      let space = VisitJoin.spaceParts.firstIndex(of: layout.uses)!
      spaceOfTable.append(space)
      let cells = join.spaces[space]
      for (index, cell) in cells.keys.enumerated() {
        let keys = layout.keys(facts.facts(of: cell, parts: layout.uses))
        table.addCell(
          index, row: keys.map { table.number(of: $0) } ?? -1, counts: cells.counts[index])
      }
      if layout.countsBotsAndPreviews {
        for (campaign, count) in join.bots {
          table.add(keys: layout.campaignKeys(campaign)) { $0.bots += count }
        }
        for (campaign, count) in previews {
          table.add(keys: layout.campaignKeys(campaign)) { $0.previews += count }
        }
      }
      if let sends, let sendsKeys = layout.sendsKeys {
        for (key, totals) in sends.totals {
          guard let keys = sendsKeys(key.campaign, ParameterText.decode(key.segment)) else {
            continue
          }
          let cost = Money(decimal: totals.deliveredCost)
          table.add(keys: keys) { counts in
            // Each key counts at most SendsTotals.maxMessages, so this overflows only past
            // about 9 million keys. The count then stays at Int.max.
            let (sends, overflow) = (counts.sends ?? 0).addingReportingOverflow(totals.delivered)
            counts.sends = overflow ? .max : sends
            counts.sendsCost = (counts.sendsCost ?? Money(micros: 0)) + cost
          }
        }
      }
      tables.append(table)
    }
    join.countUniqueVisits(into: &tables, spaceOfTable: spaceOfTable, workers: workers)
    let finished = zip(layouts, tables).map { layout, table in
      table.finish(layout: layout, catalogue: catalogue, hasSends: sends != nil)
    }
    return Output(tables: finished, postbackProblems: problems, accounting: accounting)
  }

  /// Returns whether a click ID's embedded time lies within a year before or after the range,
  /// where the report does not read visits. A made-up click ID decodes to a time anywhere in
  /// 8,900 years, so it rarely passes for one.
  private func visitBesideRange(_ clickID: ClickReference, calendar: LocalCalendar) -> Bool {
    // Only a click ID of the service's form, which packs, carries a time.
    guard let from = settings.from, let to = settings.to, clickID.key != .vacant else {
      return false
    }
    let time = clickID.key.timestamp
    let year: Int64 = 366 * 86_400_000
    let start = calendar.startOfDay(from)
    let end = calendar.startOfDay(to.adding(days: 1))
    return (start - year..<start).contains(time) || (end..<end + year).contains(time)
  }

  private func inRange(_ date: LocalDate) -> Bool {
    settings.contains(date)
  }

  private func defaultPayout(offer: String) -> Money {
    guard let payout = catalogue?.offer(key: offer)?.payout else { return Money(micros: 0) }
    return Money(decimal: payout)
  }

  private func problem(
    _ kind: PostbackProblem.Kind, _ conversion: Conversion, sink: ReportSink, detail: String
  ) -> PostbackProblem {
    PostbackProblem(
      kind: kind, timestamp: conversion.firstTimestamp,
      clickID: sink.text(of: conversion.clickID),
      transactionID: sink.texts[conversion.transactionID], status: conversion.status.rawValue,
      payout: conversion.payout?.description ?? "", detail: detail)
  }
}

extension Money {
  /// Converts a catalogue amount (at most 6 fraction digits, so exact) to millionths.
  init(decimal: Decimal) {
    var scaled = decimal * 1_000_000
    var rounded = Decimal()
    NSDecimalRound(&rounded, &scaled, 0, .plain)
    self.init(micros: NSDecimalNumber(decimal: rounded).int64Value)
  }
}

/// Decodes the `params` column (a URL-encoded query string) into names and values.
enum ParameterText {
  static func decode(_ text: String) -> [String: String] {
    var parameters: [String: String] = [:]
    for pair in text.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
      let raw = parts.count > 1 ? String(parts[1]) : ""
      // The service encodes a space as %20, so a + is a plus sign, as in sends segments.
      let value = raw.removingPercentEncoding ?? raw
      if parameters[name] == nil { parameters[name] = value }
    }
    return parameters
  }
}

/// The facts of cells, made from their numbers on demand: the texts of each profile are
/// looked up and its parameters decoded once.
struct CellFactsCache {
  let join: VisitJoin
  private var profiles: [UInt32: ReportBuilder.CellFacts] = [:]

  init(join: VisitJoin) {
    self.join = join
  }

  /// Returns the facts of `cell`, whose parts outside `parts` are left out.
  mutating func facts(of cell: VisitJoin.CellKey, parts: CellParts) -> ReportBuilder.CellFacts {
    let base = profileFacts(cell.profile)
    return ReportBuilder.CellFacts(
      campaign: base.campaign, source: base.source, lander: base.lander,
      offer: parts.contains(.offer) ? join.sink.texts[cell.offer] : base.offer,
      parameters: base.parameters,
      device: parts.contains(.device) ? join.device(cell.device) : base.device,
      hour: parts.contains(.hour) ? join.hours[cell.hour] : base.hour)
  }

  /// Returns the facts of each profile in the cells, for the table layouts.
  mutating func profileFacts() -> [ReportBuilder.CellFacts] {
    join.spaces[0].keys.map { profileFacts($0.profile) }
  }

  private mutating func profileFacts(_ number: UInt32) -> ReportBuilder.CellFacts {
    if let known = profiles[number] { return known }
    let profile = join.sink.profiles[number]
    let texts = join.sink.texts
    let facts = ReportBuilder.CellFacts(
      campaign: texts[profile.campaign], source: texts[profile.source],
      lander: texts[profile.lander], offer: texts[profile.offer],
      parameters: ParameterText.decode(texts[profile.params]),
      device: DeviceClass(type: "", os: "", browser: ""),
      hour: LocalHour(date: LocalDate(year: 1970, month: 1, day: 1), hour: 0, utcOffsetSeconds: 0))
    profiles[number] = facts
    return facts
  }
}
