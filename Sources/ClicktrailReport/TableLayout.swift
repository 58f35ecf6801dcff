import ClicktrailCatalogue
import ClicktrailLog

/// The grouping of one table: its dimension columns and the key of each visit.
struct TableLayout {
  let name: String
  let title: String
  let dimensions: [String]
  /// The position of the campaign among the dimensions, for the cost model.
  let campaignColumn: Int
  /// The row keys of a cell of visits or conversions; nil leaves the cell out of the table.
  let keys: (ReportBuilder.CellFacts) -> [String]?
  /// The parts of a cell that `keys` reads, so that cells alike in those parts share a row
  /// without computing their keys again.
  let uses: CellParts
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
    facts: some Collection<ReportBuilder.CellFacts>
  ) -> [TableLayout] {
    // Facts come in no set order, so a campaign whose visits logged several sources takes
    // the first of them in text order.
    let facts = facts.sorted { ($0.campaign, $0.source) < ($1.campaign, $1.source) }
    var sources = Dictionary(
      (catalogue?.campaigns ?? []).map { ($0.key, $0.source) }, uniquingKeysWith: { a, _ in a })
    // Without a catalogue, a campaign's source is the one its visits logged, so that bots
    // and previews land on the same row as the visits.
    for fact in facts where sources[fact.campaign] == nil && !fact.source.isEmpty {
      sources[fact.campaign] = fact.source
    }
    func source(_ campaign: String, _ logged: String) -> String {
      logged.isEmpty ? (sources[campaign] ?? "") : logged
    }
    var layouts: [TableLayout] = [
      TableLayout(
        name: "campaigns", title: "Campaigns", dimensions: ["campaign", "source"],
        campaignColumn: 0,
        keys: { fact in [fact.campaign, source(fact.campaign, fact.source)] }, uses: .profile,
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
        keys: { fact in [fact.hour.date.description, fact.campaign] },
        uses: [.profile, .hour],
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { ["", $0] }),
      TableLayout(
        name: "hours", title: "Hours (\(settings.timeZoneName))",
        dimensions: ["date", "hour", "utc_offset", "campaign"], campaignColumn: 3,
        keys: { fact in
          [
            fact.hour.date.description, String(fact.hour.hour).leftPaddedToTwo,
            fact.hour.utcOffset, fact.campaign,
          ]
        },
        uses: [.profile, .hour],
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { ["", "", "", $0] },
        precedes: hoursPrecede),
      TableLayout(
        name: "landers", title: "Landers", dimensions: ["campaign", "lander"], campaignColumn: 0,
        keys: { fact in [fact.campaign, fact.lander.isEmpty ? none : fact.lander] },
        uses: .profile,
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { [$0, ""] }),
      TableLayout(
        name: "offers", title: "Offers", dimensions: ["campaign", "offer"], campaignColumn: 0,
        keys: { fact in [fact.campaign, fact.offer.isEmpty ? none : fact.offer] },
        uses: [.profile, .offer],
        countsBotsAndPreviews: false, sendsKeys: nil, campaignKeys: { [$0, ""] }),
      TableLayout(
        name: "devices", title: "Devices",
        dimensions: ["campaign", "device_type", "os", "browser"],
        campaignColumn: 0,
        keys: { fact in [fact.campaign, fact.device.type, fact.device.os, fact.device.browser] },
        uses: [.profile, .device],
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
      keys: { fact in [fact.campaign] + values(fact.parameters) }, uses: .profile,
      countsBotsAndPreviews: false,
      sendsKeys: { campaign, parameters in [campaign] + values(parameters) },
      campaignKeys: { [$0] + names.map { _ in "" } })
  }
}

extension String {
  fileprivate var leftPaddedToTwo: String { count >= 2 ? self : "0" + self }
}

/// The parts of a cell of visits, as `TableLayout.uses` names them.
struct CellParts: OptionSet {
  let rawValue: Int
  /// Campaign, source, lander, visit offer and parameters.
  static let profile = CellParts(rawValue: 1)
  static let device = CellParts(rawValue: 2)
  /// The offer of the last click.
  static let offer = CellParts(rawValue: 4)
  static let hour = CellParts(rawValue: 8)
}

/// The rows of one table while cells, bots, previews and sends are added.
struct TableAccumulator {
  private var rowNumbers: [[String]: Int32] = [:]
  private var keys: [[String]] = []
  /// The counts of each row, in row number order.
  var counts: [MetricCounts] = []
  /// The row of each cell, or -1 for a cell the table leaves out.
  private var rowOfCell: [Int32] = []

  /// Adds the visits and conversions of cell `cell` to row number `row`; -1 leaves the cell
  /// out of the table.
  mutating func addCell(_ cell: Int, row: Int32, counts cellCounts: CellCounts) {
    if rowOfCell.count <= cell {
      rowOfCell += repeatElement(-1, count: cell + 1 - rowOfCell.count)
    }
    guard row >= 0 else { return }
    rowOfCell[cell] = row
    counts[Int(row)].add(cellCounts)
  }

  /// Changes the counts of the row `keys`, adding the row when it is new.
  mutating func add(keys: [String], _ change: (inout MetricCounts) -> Void) {
    change(&counts[Int(number(of: keys))])
  }

  /// Returns the row of cell `cell`, or -1 when the table leaves it out.
  func row(ofCell cell: Int) -> Int32 {
    cell < rowOfCell.count ? rowOfCell[cell] : -1
  }

  /// Returns the number of the row `rowKeys`, adding the row when it is new.
  mutating func number(of rowKeys: [String]) -> Int32 {
    if let number = rowNumbers[rowKeys] { return number }
    let number = Int32(keys.count)
    rowNumbers[rowKeys] = number
    keys.append(rowKeys)
    counts.append(MetricCounts())
    return number
  }

  /// Returns the table with unique visits and costs filled in and rows sorted by key.
  func finish(layout: TableLayout, catalogue: Catalogue?, hasSends: Bool) -> ReportTable {
    var finished: [(keys: [String], counts: MetricCounts)] = []
    let order = keys.indices.sorted { layout.precedes(keys[$0], keys[$1]) }
    for row in order {
      let keys = keys[row]
      var counts = counts[row]
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

/// A 64-bit FNV-1a hash of texts, the same in every run (Swift's `Hasher` is seeded per
/// process). Unique visits keep 8 bytes per visitor instead of a string; two visitors of one
/// row and day collide with odds of about n² / 2^65, under one in 10^7 for a million.
struct StableHash {
  private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

  /// Adds the UTF-8 bytes of `text` and a 0xFF separator, which no UTF-8 text contains.
  mutating func add(_ text: String) {
    for byte in text.utf8 { add(byte) }
    add(0xFF)
  }

  /// Adds the UTF-8 bytes of a text and the separator, as `add(_: String)` does.
  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
    for byte in bytes { add(byte) }
    add(0xFF)
  }

  /// Adds one byte.
  mutating func add(_ byte: UInt8) {
    value ^= UInt64(byte)
    value &*= 0x100_0000_01B3
  }
}
