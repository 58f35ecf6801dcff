/// Inline SVG charts for the HTML report.
enum HTMLCharts {
  /// Draws a line of visits and a line of conversions per day, all campaigns together. Each
  /// line has its own scale, given in its label, because conversions are few next to visits.
  static func dailyTrend(_ table: ReportTable?) -> String {
    guard let table, !table.rows.isEmpty else { return "" }
    var visits: [String: Int] = [:]
    var conversions: [String: Int] = [:]
    for row in table.rows {
      visits[row.keys[0], default: 0] += row.counts.visits
      conversions[row.keys[0], default: 0] += row.counts.conversions
    }
    let days = visits.keys.sorted()
    let width = 800.0
    let height = 200.0
    func points(_ values: [String: Int], top: Double) -> String {
      days.enumerated().map { index, day in
        let x =
          days.count == 1 ? width / 2 : Double(index) / Double(days.count - 1) * (width - 40) + 20
        let y = height - 20 - Double(values[day] ?? 0) / top * (height - 40)
        return "\(Int(x)),\(Int(y))"
      }.joined(separator: " ")
    }
    let topVisits = Double(max(1, visits.values.max() ?? 1))
    let topConversions = Double(max(1, conversions.values.max() ?? 1))
    let visitPoints = points(visits, top: topVisits)
    let conversionPoints = points(conversions, top: topConversions)
    var svg = "<section><h2>Daily trend</h2><svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
    svg += "role=\"img\" aria-label=\"visits and conversions per day\">"
    svg +=
      "<polyline fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\" points=\"\(visitPoints)\"/>"
    svg +=
      "<polyline fill=\"none\" stroke=\"#c05621\" stroke-width=\"2\" points=\"\(conversionPoints)\"/>"
    svg += "<text x=\"20\" y=\"14\" fill=\"#2b6cb0\">visits (max \(Int(topVisits)))</text>"
    svg +=
      "<text x=\"220\" y=\"14\" fill=\"#c05621\">conversions (max \(Int(topConversions)))</text>"
    if let first = days.first, let last = days.last {
      svg += "<text x=\"20\" y=\"\(Int(height) - 4)\">\(HTMLReport.escape(first))</text>"
      svg +=
        "<text x=\"\(Int(width) - 100)\" y=\"\(Int(height) - 4)\">\(HTMLReport.escape(last))</text>"
    }
    return svg + "</svg></section>\n"
  }

  /// Bars of visits, clicks and conversions for each segment of one parameter table.
  static func funnel(_ table: ReportTable) -> String {
    let rows = table.rows.filter { $0.counts.visits > 0 }
    guard !rows.isEmpty else { return "" }
    let top = Double(rows.map(\.counts.visits).max() ?? 1)
    let barHeight = 14
    let rowHeight = 3 * barHeight + 12
    let height = rows.count * rowHeight + 20
    var svg = "<section><h2>Funnel: \(HTMLReport.escape(table.title))</h2>"
    svg += "<svg viewBox=\"0 0 800 \(height)\" role=\"img\" aria-label=\"funnel per segment\">"
    for (index, row) in rows.enumerated() {
      let y = index * rowHeight + 10
      let label = row.keys.joined(separator: " / ")
      svg += "<text x=\"0\" y=\"\(y + barHeight)\">\(HTMLReport.escape(label))</text>"
      let values = [
        (row.counts.visits, "#2b6cb0"), (row.counts.clicks, "#2f855a"),
        (row.counts.conversions, "#c05621"),
      ]
      for (step, (value, colour)) in values.enumerated() {
        let width = Int(Double(value) / top * 500)
        svg += "<rect x=\"250\" y=\"\(y + step * barHeight)\" width=\"\(width)\" "
        svg += "height=\"\(barHeight - 2)\" fill=\"\(colour)\"/>"
        svg +=
          "<text x=\"\(255 + width)\" y=\"\(y + step * barHeight + barHeight - 3)\">\(value)</text>"
      }
    }
    svg += "</svg><p>Bars: visits (blue), clicks (green), conversions (orange).</p></section>\n"
    return svg
  }
}
