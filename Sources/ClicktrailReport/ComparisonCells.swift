import ClicktrailLog
import Foundation

/// The columns and cell texts of a compared table, shared by the CSV and the HTML page.
public enum ComparisonCells {
  /// The counts that also get a per-day column, since the periods may differ in length.
  public static let perDay: [Metric] = [.sends, .visits, .uniqueVisits, .clicks, .conversions]

  /// The columns after the dimensions: `present`, then per metric `_a`, `_b`, `_change`,
  /// `_change_pct` (and for the tested rates `_p`, `_ci_low`, `_ci_high`, `_significant`),
  /// then the per-day counts.
  public static func header(_ table: ComparisonTable) -> [String] {
    var names = table.dimensions + ["present"]
    for metric in Metric.allCases {
      names += quadruple(metric.rawValue)
      if ComparedRate.allCases.contains(where: { $0.metric == metric }) {
        names += ["p", "ci_low", "ci_high", "significant"].map { "\(metric.rawValue)_\($0)" }
      }
    }
    for metric in perDay { names += quadruple("\(metric.rawValue)_per_day") }
    return names
  }

  static func quadruple(_ name: String) -> [String] {
    ["\(name)_a", "\(name)_b", "\(name)_change", "\(name)_change_pct"]
  }

  /// The cells of `row` in the order of `header`, after the dimensions.
  public static func values(_ row: ComparisonRow, in comparison: Comparison) -> [String] {
    var cells = [row.presence]
    for metric in Metric.allCases {
      cells += compare(value(metric, row.a), value(metric, row.b))
      if let position = ComparedRate.allCases.firstIndex(where: { $0.metric == metric }) {
        cells += testCells(row.tests[position])
      }
    }
    for metric in perDay {
      cells += compare(
        perDayValue(metric, row.a, days: comparison.a.days),
        perDayValue(metric, row.b, days: comparison.b.days))
    }
    return cells
  }

  static func value(_ metric: Metric, _ counts: MetricCounts?) -> MetricValue {
    counts.map { metric.value($0) } ?? .empty
  }

  static func perDayValue(_ metric: Metric, _ counts: MetricCounts?, days: Int) -> MetricValue {
    guard case .count(let count) = value(metric, counts) else { return .empty }
    return .ratio(Double(count) / Double(days))
  }

  /// The A and B texts, B - A, and (B - A) / A as a fraction, empty when A is 0 or empty.
  public static func compare(_ a: MetricValue, _ b: MetricValue) -> [String] {
    let change: MetricValue =
      switch (a, b) {
      case (.count(let x), .count(let y)): .count(y - x)
      case (.money(let x), .money(let y)): .money(y - x)
      case (.ratio(let x), .ratio(let y)): .ratio(y - x)
      default: .empty
      }
    var relative = MetricValue.empty
    if let x = number(a), let y = number(b), x != 0 { relative = .ratio((y - x) / x) }
    return [a.text, b.text, change.text, relative.text]
  }

  static func number(_ value: MetricValue) -> Double? {
    switch value {
    case .count(let count): Double(count)
    case .money(let money): Double(money.micros)
    case .ratio(let ratio): ratio
    case .empty: nil
    }
  }

  /// The p-value, the interval and the verdict.
  static func testCells(_ test: RateTest) -> [String] {
    [
      test.pValue.map(pValueText) ?? "",
      test.interval.map { MetricValue.ratio($0.low).text } ?? "",
      test.interval.map { MetricValue.ratio($0.high).text } ?? "",
      test.verdict.rawValue,
    ]
  }

  /// A p-value with 6 significant digits, in exponent notation below 0.0001, so that a
  /// tiny p-value stays readable rather than rounding to 0.
  public static func pValueText(_ value: Double) -> String {
    String(format: "%.6g", value)
  }

  /// The CSV of a compared table.
  public static func csv(_ table: ComparisonTable, in comparison: Comparison) -> String {
    var writer = CSVWriter(header: header(table))
    for row in table.rows {
      writer.appendRow(
        row.keys.map { CSVWriter.Cell.text($0) }
          + values(row, in: comparison).enumerated().map {
            $0.offset == 0 ? .text($0.element) : .number($0.element)
          })
    }
    return writer.text
  }
}
