import ClicktrailLog

/// Turns the time tables of one period into tables that two periods share rows of: days
/// become weekdays and hours become hours of the day, each per campaign. Dates of two
/// periods never match, so compared as dates every row would be in one period only.
enum ComparisonTimeTables {
  static let weekdays = [
    "1 Monday", "2 Tuesday", "3 Wednesday", "4 Thursday", "5 Friday",
    "6 Saturday", "7 Sunday",
  ]

  /// Returns `tables` with `days` and `hours` regrouped; other tables are unchanged.
  /// `zoneName` names the time zone in the titles.
  static func regroup(_ tables: [ReportTable], zoneName: String) -> [ReportTable] {
    tables.map { table in
      switch table.name {
      case "days":
        return regroup(
          table, name: "weekdays", title: "Weekdays (\(zoneName))",
          dimensions: ["weekday", "campaign"]
        ) { keys in
          guard let date = LocalDate(parsing: keys[0]) else { return nil }
          // 1970-01-01 was a Thursday.
          let index = Int(((date.daysSinceEpoch + 3) % 7 + 7) % 7)
          return [weekdays[index], keys[1]]
        }
      case "hours":
        return regroup(
          table, name: "hours-of-day", title: "Hours of the day (\(zoneName))",
          dimensions: ["hour", "campaign"]
        ) { [$0[1], $0[3]] }
      default:
        return table
      }
    }
  }

  private static func regroup(
    _ table: ReportTable, name: String, title: String, dimensions: [String],
    key: ([String]) -> [String]?
  ) -> ReportTable {
    var grouped: [[String]: MetricCounts] = [:]
    for row in table.rows {
      guard let keys = key(row.keys) else { continue }
      grouped[keys] = grouped[keys].map { add($0, row.counts) } ?? row.counts
    }
    let rows = grouped.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0, grouped[$0]!) }
    return ReportTable(name: name, title: title, dimensions: dimensions, rows: rows)
  }

  /// Adds two rows' counts; unique visits add up because they are counted per day.
  static func add(_ left: MetricCounts, _ right: MetricCounts) -> MetricCounts {
    var sum = left
    sum.sends = left.sends.flatMap { a in right.sends.map { a + $0 } }
    sum.sendsCost = left.sendsCost.flatMap { a in right.sendsCost.map { a + $0 } }
    sum.visits += right.visits
    sum.uniqueVisits += right.uniqueVisits
    sum.clicks += right.clicks
    sum.previews += right.previews
    sum.bots += right.bots
    for index in 0..<3 {
      sum.conversionsByStatus[index] += right.conversionsByStatus[index]
      sum.revenueByStatus[index] = sum.revenueByStatus[index] + right.revenueByStatus[index]
    }
    sum.cost = left.cost.flatMap { a in right.cost.map { a + $0 } }
    return sum
  }
}
