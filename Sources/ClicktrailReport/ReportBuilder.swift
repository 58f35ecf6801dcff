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

  public init(
    settings: ReportSettings, catalogue: Catalogue?, sends: SendsTable?,
    classifier: DeviceClassifier
  ) {
    self.settings = settings
    self.catalogue = catalogue
    self.sends = sends
    self.classifier = classifier
  }

  /// A visit in the report's range, with everything the tables group it by.
  struct VisitFacts {
    let visit: VisitRecord
    let hour: LocalHour
    let device: DeviceClass
    let parameters: [String: String]
    /// The hash of the local day and the visitor key, which unique visits count.
    let visitorHash: UInt64
    var clicks = 0
    var offer: String
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
    let calendar = LocalCalendar(timeZone: settings.timeZone)
    var facts: [String: VisitFacts] = [:]
    var bots: [String: Int] = [:]
    var inRangeVisits: [(String, VisitRecord, LocalHour)] = []
    for (clickID, visit) in sink.visits {
      let hour = calendar.localHour(at: visit.timestamp)
      guard inRange(hour.date) else {
        accounting.visitsOutsideRange += 1
        continue
      }
      inRangeVisits.append((clickID, visit, hour))
    }
    // Each distinct user agent is classified once, on every core.
    let agents = Array(Set(inRangeVisits.map { $0.1.userAgent })).sorted()
    let devices = Dictionary(
      uniqueKeysWithValues: zip(agents, classifier.classifyAll(agents)))
    var parameterCache: [String: [String: String]] = [:]
    for (clickID, visit, hour) in inRangeVisits {
      let device = devices[visit.userAgent]!
      if device.isBot {
        bots[visit.campaign, default: 0] += 1
        accounting.bots += 1
        continue
      }
      accounting.visitsInRange += 1
      if parameterCache[visit.params] == nil {
        parameterCache[visit.params] = ParameterText.decode(visit.params)
      }
      facts[clickID] = VisitFacts(
        visit: visit, hour: hour, device: device, parameters: parameterCache[visit.params]!,
        visitorHash: StableHash.fnv1a([hour.date.description, visit.visitorKey]),
        offer: visit.offer)
    }
    accounting.distinctUserAgents = devices.count
    accounting.duplicateVisits = sink.duplicateVisits
    for (clickID, summary) in sink.clicks {
      guard facts[clickID] != nil else {
        accounting.clicksWithoutVisit += summary.count
        continue
      }
      facts[clickID]!.clicks += summary.count
      facts[clickID]!.offer = summary.lastOffer
      accounting.clicksJoined += summary.count
    }
    var previews: [String: Int] = [:]
    for (bucket, count) in sink.previews
    where inRange(calendar.localDate(at: bucket.quarterHour * 900_000)) {
      previews[bucket.campaign, default: 0] += count
      accounting.previews += count
    }
    accounting.postbacks = sink.postbacks.count
    let attribution = Attribution.conversions(from: sink.postbacks)
    accounting.statusUpdates = attribution.statusUpdates
    var problems = attribution.problems
    var attributed: [(clickID: String, conversion: Conversion, payout: Money)] = []
    for conversion in attribution.conversions {
      guard let fact = facts[conversion.clickID] else {
        let visitOutsideRange = visitBesideRange(conversion.clickID, calendar: calendar)
        if sink.visits[conversion.clickID] == nil && !visitOutsideRange {
          problems.append(problem(.orphan, conversion, detail: "no visit with this click ID"))
        } else {
          // The visit was read but lies outside the range, or was a bot.
          accounting.conversionsOutsideRange += 1
        }
        continue
      }
      let window = Int64(catalogue?.campaign(key: fact.visit.campaign)?.attributionWindowDays ?? 30)
      if conversion.firstTimestamp - fact.visit.timestamp > window * 86_400_000 {
        problems.append(problem(.expired, conversion, detail: "after the \(window)-day window"))
        continue
      }
      let payout = conversion.payout ?? defaultPayout(offer: fact.offer)
      attributed.append((conversion.clickID, conversion, payout))
    }
    accounting.conversions = attributed.count
    for problem in problems { accounting.postbackProblems[problem.kind.rawValue, default: 0] += 1 }
    problems.sort {
      ($0.timestamp, $0.kind.rawValue, $0.clickID) < ($1.timestamp, $1.kind.rawValue, $1.clickID)
    }

    var tables: [ReportTable] = []
    for layout in TableLayout.all(settings: settings, catalogue: catalogue, facts: facts.values) {
      var table = TableAccumulator()
      for fact in facts.values {
        guard let keys = layout.keys(fact, fact.hour) else { continue }
        table.addVisit(keys: keys, fact: fact, directLinking: fact.visit.lander.isEmpty)
      }
      for item in attributed {
        let fact = facts[item.clickID]!
        let hour =
          settings.conversionsOnPostbackDay
          ? calendar.localHour(at: item.conversion.lastTimestamp) : fact.hour
        guard let keys = layout.keys(fact, hour) else { continue }
        table.addConversion(keys: keys, status: item.conversion.status, payout: item.payout)
      }
      if layout.countsBotsAndPreviews {
        for (campaign, count) in bots {
          table.rows[layout.campaignKeys(campaign), default: .init()].bots += count
        }
        for (campaign, count) in previews {
          table.rows[layout.campaignKeys(campaign), default: .init()].previews += count
        }
      }
      if let sends, let sendsKeys = layout.sendsKeys {
        for (key, totals) in sends.totals {
          guard let keys = sendsKeys(key.campaign, ParameterText.decode(key.segment)) else {
            continue
          }
          var counts = table.rows[keys, default: .init()]
          // Each key counts at most SendsTotals.maxMessages, so this overflows only past
          // about 9 million keys. The count then stays at Int.max.
          let (sends, overflow) = (counts.sends ?? 0).addingReportingOverflow(totals.delivered)
          counts.sends = overflow ? .max : sends
          let cost = Money(decimal: totals.deliveredCost)
          counts.sendsCost = (counts.sendsCost ?? Money(micros: 0)) + cost
          table.rows[keys] = counts
        }
      }
      tables.append(
        table.finish(layout: layout, catalogue: catalogue, hasSends: sends != nil))
    }
    return Output(tables: tables, postbackProblems: problems, accounting: accounting)
  }

  /// Returns whether a click ID's embedded time lies within a year before or after the range,
  /// where the report does not read visits. A made-up click ID decodes to a time anywhere in
  /// 8,900 years, so it rarely passes for one.
  private func visitBesideRange(_ clickID: String, calendar: LocalCalendar) -> Bool {
    guard let from = settings.from, let to = settings.to,
      let time = ClickIDTime.milliseconds(clickID)
    else { return false }
    let year: Int64 = 366 * 86_400_000
    let start = calendar.startOfDay(from)
    let end = calendar.startOfDay(to.adding(days: 1))
    return (start - year..<start).contains(time) || (end..<end + year).contains(time)
  }

  private func inRange(_ date: LocalDate) -> Bool {
    if let from = settings.from, date < from { return false }
    if let to = settings.to, to < date { return false }
    return true
  }

  private func defaultPayout(offer: String) -> Money {
    guard let payout = catalogue?.offer(key: offer)?.payout else { return Money(micros: 0) }
    return Money(decimal: payout)
  }

  private func problem(
    _ kind: PostbackProblem.Kind, _ conversion: Conversion, detail: String
  ) -> PostbackProblem {
    PostbackProblem(
      kind: kind, timestamp: conversion.firstTimestamp, clickID: conversion.clickID,
      transactionID: conversion.transactionID, status: conversion.status.rawValue,
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

/// Reads the visit time that the service puts at the start of every click ID: 48 bits of Unix
/// milliseconds in the first 8 base64url characters of a 20-character ID.
enum ClickIDTime {
  static func milliseconds(_ clickID: String) -> Int64? {
    let bytes = Array(clickID.utf8)
    guard bytes.count == 20 else { return nil }
    var value: Int64 = 0
    for byte in bytes.prefix(8) {
      let digit: Int64
      switch byte {
      case 0x41...0x5A: digit = Int64(byte - 0x41)
      case 0x61...0x7A: digit = Int64(byte - 0x61) + 26
      case 0x30...0x39: digit = Int64(byte - 0x30) + 52
      case 0x2D: digit = 62
      case 0x5F: digit = 63
      default: return nil
      }
      value = value << 6 | digit
    }
    return value
  }
}
