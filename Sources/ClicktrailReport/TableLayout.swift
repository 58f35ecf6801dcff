import ClicktrailCatalogue
import ClicktrailLog

/// The grouping of one table: its dimension columns and the key of each visit.
struct TableLayout {
  let name: String
  let title: String
  let dimensions: [String]
  /// The position of the campaign among the dimensions, for the cost model.
  let campaignColumn: Int
  /// The row keys of a visit; the hour is the visit's, or the postback's for conversions
  /// counted on the postback's day. Nil leaves the visit out of the table.
  let keys: (ReportBuilder.VisitFacts, LocalHour) -> [String]?
  /// Whether bots and previews, which have no visit, are counted in this table.
  let countsBotsAndPreviews: Bool
  /// The row keys of the sends of a campaign and segment, or nil when the table's rows do
  /// not follow segments (days, landers...).
  let sendsKeys: ((String, [String: String]) -> [String]?)?
  /// The row keys for a campaign alone, used for bots and previews.
  let campaignKeys: (String) -> [String]
  /// Orders two rows' keys; by default, column by column as text.
  var precedes: ([String], [String]) -> Bool = { $0.lexicographicallyPrecedes($1) }

  static let none = "(none)"

  /// Returns every table of the report, in the order the HTML shows them.
  static func all(
    settings: ReportSettings, catalogue: Catalogue?,
    facts: some Collection<ReportBuilder.VisitFacts>
  ) -> [TableLayout] {
    var sources = Dictionary(
      (catalogue?.campaigns ?? []).map { ($0.key, $0.source) }, uniquingKeysWith: { a, _ in a })
    // Without a catalogue, a campaign's source is the one its visits logged, so that bots
    // and previews land on the same row as the visits.
    for fact in facts where sources[fact.visit.campaign] == nil && !fact.visit.source.isEmpty {
      sources[fact.visit.campaign] = fact.visit.source
    }
    func source(_ campaign: String, _ logged: String) -> String {
      logged.isEmpty ? (sources[campaign] ?? "") : logged
    }
    var layouts: [TableLayout] = [
      TableLayout(
        name: "campaigns", title: "Campaigns", dimensions: ["campaign", "source"],
        campaignColumn: 0,
        keys: { fact, _ in [fact.visit.campaign, source(fact.visit.campaign, fact.visit.source)] },
        countsBotsAndPreviews: true,
        sendsKeys: { campaign, _ in [campaign, source(campaign, "")] },
        campaignKeys: { [$0, source($0, "")] })
    ]
    var names: [String] = []
    if let catalogue {
      for source in catalogue.trafficSources {
        for name in source.parameters where !names.contains(name) { names.append(name) }
      }
    } else {
      names = Set(facts.flatMap { $0.parameters.keys }).sorted()
    }
    for name in names {
      layouts.append(segmentLayout(names: [name], prefix: "param", title: "Segments by \(name)"))
    }
    for combination in settings.combinations {
      layouts.append(
        segmentLayout(
          names: combination, prefix: "by",
          title: "Segments by " + combination.joined(separator: " and ")))
    }
    layouts += [
      TableLayout(
        name: "days", title: "Days (\(settings.timeZoneName))",
        dimensions: ["date", "campaign"], campaignColumn: 1,
        keys: { fact, hour in [hour.date.description, fact.visit.campaign] },
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { ["", $0] }),
      TableLayout(
        name: "hours", title: "Hours (\(settings.timeZoneName))",
        dimensions: ["date", "hour", "utc_offset", "campaign"], campaignColumn: 3,
        keys: { fact, hour in
          [
            hour.date.description, String(hour.hour).leftPaddedToTwo, hour.utcOffset,
            fact.visit.campaign,
          ]
        },
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { ["", "", "", $0] },
        precedes: hoursPrecede),
      TableLayout(
        name: "landers", title: "Landers", dimensions: ["campaign", "lander"], campaignColumn: 0,
        keys: { fact, _ in
          [fact.visit.campaign, fact.visit.lander.isEmpty ? none : fact.visit.lander]
        },
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { [$0, ""] }),
      TableLayout(
        name: "offers", title: "Offers", dimensions: ["campaign", "offer"], campaignColumn: 0,
        keys: { fact, _ in [fact.visit.campaign, fact.offer.isEmpty ? none : fact.offer] },
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { [$0, ""] }),
      TableLayout(
        name: "devices", title: "Devices",
        dimensions: ["campaign", "device_type", "os", "browser"],
        campaignColumn: 0,
        keys: { fact, _ in
          [fact.visit.campaign, fact.device.type, fact.device.os, fact.device.browser]
        },
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { [$0, "", "", ""] }),
    ]
    return layouts
  }

  /// Orders hour rows by their instant, so that on the day daylight saving time ends the
  /// first 02:00 (UTC+02:00) comes before the second (UTC+01:00).
  static func hoursPrecede(_ left: [String], _ right: [String]) -> Bool {
    func instant(_ keys: [String]) -> (String, Int, String) {
      let hour = Int(keys[1]) ?? 0
      let offset = keys[2].dropFirst(3)
      let sign = offset.hasPrefix("-") ? -1 : 1
      let parts = offset.dropFirst().split(separator: ":").compactMap { Int($0) }
      let seconds = parts.count == 2 ? sign * (parts[0] * 3600 + parts[1] * 60) : 0
      return (keys[0], hour * 3600 - seconds, keys[3])
    }
    return instant(left) < instant(right)
  }

  /// Returns a table by campaign and the values of the parameters `names`.
  static func segmentLayout(names: [String], prefix: String, title: String) -> TableLayout {
    func values(_ parameters: [String: String]) -> [String] {
      names.map { name in parameters[name].flatMap { $0.isEmpty ? nil : $0 } ?? none }
    }
    return TableLayout(
      name: "\(prefix)-" + names.joined(separator: "-"), title: title,
      dimensions: ["campaign"] + names, campaignColumn: 0,
      keys: { fact, _ in [fact.visit.campaign] + values(fact.parameters) },
      countsBotsAndPreviews: false,
      sendsKeys: { campaign, parameters in [campaign] + values(parameters) },
      campaignKeys: { [$0] + names.map { _ in "" } })
  }
}

extension String {
  fileprivate var leftPaddedToTwo: String { count >= 2 ? self : "0" + self }
}

/// The rows of one table while visits and conversions are added.
struct TableAccumulator {
  var rows: [[String]: MetricCounts] = [:]
  /// Per row, the 64-bit FNV-1a hashes of day and visitor key: 8 bytes per visitor instead
  /// of a string, stable from run to run. Two visitors collide with odds of about
  /// n² / 2^65, under one in 10^7 for a million visitors in one row.
  private var visitors: [[String]: Set<UInt64>] = [:]

  mutating func addVisit(keys: [String], fact: ReportBuilder.VisitFacts, directLinking: Bool) {
    var counts = rows[keys, default: .init()]
    counts.visits += 1
    // A direct-linking visit goes straight to the offer: it is its own click.
    counts.clicks += directLinking ? 1 : fact.clicks
    rows[keys] = counts
    visitors[keys, default: []].insert(fact.visitorHash)
  }

  mutating func addConversion(keys: [String], status: PostbackEvent.Status, payout: Money) {
    var counts = rows[keys, default: .init()]
    let index = MetricCounts.index(of: status)
    counts.conversionsByStatus[index] += 1
    counts.revenueByStatus[index] = counts.revenueByStatus[index] + payout
    rows[keys] = counts
  }

  /// Returns the table with unique visits and costs filled in and rows sorted by key.
  func finish(layout: TableLayout, catalogue: Catalogue?, hasSends: Bool) -> ReportTable {
    var finished: [(keys: [String], counts: MetricCounts)] = []
    for keys in rows.keys.sorted(by: layout.precedes) {
      var counts = rows[keys]!
      counts.uniqueVisits = visitors[keys]?.count ?? 0
      if hasSends && layout.sendsKeys != nil && counts.sends == nil {
        counts.sends = 0
        counts.sendsCost = Money(micros: 0)
      }
      counts.cost = Self.cost(
        counts, campaign: keys[layout.campaignColumn], catalogue: catalogue)
      finished.append((keys, counts))
    }
    return ReportTable(
      name: layout.name, title: layout.title, dimensions: layout.dimensions, rows: finished)
  }

  /// Applies the campaign's traffic-source cost model; nil when it cannot be known.
  static func cost(_ counts: MetricCounts, campaign: String, catalogue: Catalogue?) -> Money? {
    guard let catalogue, let campaign = catalogue.campaign(key: campaign),
      let model = catalogue.trafficSource(name: campaign.source)?.costModel
    else { return nil }
    let value = Money(decimal: model.value).micros
    switch model.kind {
    case .perMessage: return counts.sendsCost
    case .cpc: return Money(clamping: Int128(counts.visits) * Int128(value))
    case .cpm: return Money(clamping: Int128(counts.visits) * Int128(value) / 1000)
    case .cpa: return Money(clamping: Int128(counts.conversionsByStatus[0]) * Int128(value))
    case .revshare:
      return Money(clamping: Int128(counts.revenue.micros) * Int128(value) / 1_000_000)
    case .none: return Money(micros: 0)
    }
  }
}

/// Hashes text with 64-bit FNV-1a, which is the same in every run (Swift's `Hasher` is
/// seeded per process).
enum StableHash {
  static func fnv1a(_ parts: [String]) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for part in parts {
      for byte in part.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x100_0000_01B3
      }
      hash ^= 0xFF
      hash &*= 0x100_0000_01B3
    }
    return hash
  }
}
