/// Renders a comparison as one self-contained HTML page: the significant changes first,
/// largest absolute difference first, then every table, the method and the inputs. It
/// reuses the report's escaping, style and sortable tables.
struct ComparisonHTML {
  let comparison: Comparison
  let inputs: ComparisonRunner.Inputs

  init(_ comparison: Comparison, inputs: ComparisonRunner.Inputs) {
    self.comparison = comparison
    self.inputs = inputs
  }

  /// The metrics each table shows on the page; the CSV files have them all.
  static let shown: [Metric] = [
    .sends, .visits, .uniqueVisits, .clicks, .conversions, .revenue, .cost, .profit,
  ]

  /// A significant change of one rate in one row.
  struct Finding {
    var table: ComparisonTable
    var row: ComparisonRow
    var rate: ComparedRate
    var test: RateTest
    var difference: Double
  }

  func render() -> String {
    let escape = HTMLReport.escape
    var html = """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Clicktrail comparison</title>
      <style>\(HTMLReport.style)</style>
      </head>
      <body>
      <h1>Clicktrail comparison</h1>
      <p class="range">\(escape(periodsText))</p>

      """
    html += renderFindings()
    html += HTMLReport.navigation(
      comparison.tables.map { ($0.name, $0.title) } + [
        ("method", "Method"), ("inputs", "Inputs and periods"),
      ])
    for table in comparison.tables { html += render(table) }
    html += renderMethod()
    html += renderInputs()
    html += "<script>\(HTMLReport.script)</script>\n</body>\n</html>\n"
    return html
  }

  private var periodsText: String {
    let a = comparison.a
    let b = comparison.b
    var text = "A: \(a.from) to \(a.to) (\(a.days) days), B: \(b.from) to \(b.to) "
    text += "(\(b.days) days), time zone \(inputs.report.settings.timeZoneName)."
    if a.overlaps(b) {
      text += " The periods overlap, so they share visits and are not independent."
    }
    return text
  }

  /// The significant changes of every table, largest absolute difference first; ties in
  /// table, row and rate order.
  func findings() -> [Finding] {
    var found: [(finding: Finding, order: Int)] = []
    for table in comparison.tables {
      for row in table.rows {
        for (position, rate) in ComparedRate.allCases.enumerated()
        where row.tests[position].verdict == .yes {
          guard case .ratio(let x) = rate.metric.value(row.a!),
            case .ratio(let y) = rate.metric.value(row.b!)
          else { continue }
          let finding = Finding(
            table: table, row: row, rate: rate, test: row.tests[position], difference: y - x)
          found.append((finding, found.count))
        }
      }
    }
    found.sort {
      let left = abs($0.finding.difference)
      let right = abs($1.finding.difference)
      return left != right ? left > right : $0.order < $1.order
    }
    return found.map(\.finding)
  }

  private func renderFindings() -> String {
    let escape = HTMLReport.escape
    var html = "<section id=\"significant\"><h2>Significant changes</h2>"
    let findings = findings()
    guard !findings.isEmpty else {
      return html + "<p>None: no tested rate changed significantly.</p></section>\n"
    }
    html += "<div class=\"scroll\"><table class=\"sortable\"><thead><tr>"
    for name in ["table", "row", "rate", "A", "B", "B - A", "95% CI low", "95% CI high", "p"] {
      html += "<th>\(name)</th>"
    }
    html += "</tr></thead><tbody>\n"
    for finding in findings {
      let metric = finding.rate.metric
      let cells = ComparisonCells.compare(
        metric.value(finding.row.a!), metric.value(finding.row.b!))
      let test = ComparisonCells.testCells(finding.test)
      html += "<tr><td>\(escape(finding.table.title))</td>"
      html += "<td>\(escape(finding.row.keys.joined(separator: " / ")))</td>"
      html += "<td>\(metric.rawValue)</td>"
      for cell in cells.prefix(3) + [test[1], test[2], test[0]] {
        html += "<td class=\"num\">\(escape(cell))</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody></table></div></section>\n"
  }

  private func render(_ table: ComparisonTable) -> String {
    let escape = HTMLReport.escape
    var html = "<section id=\"\(escape(table.name))\"><h2>\(escape(table.title))</h2>"
    html += "<p class=\"file\">compare-\(escape(table.name)).csv, \(table.rows.count) rows; "
    html += "the file has every metric and the per-day counts</p>"
    html += "<div class=\"scroll\"><table class=\"sortable\"><thead><tr>"
    for name in table.dimensions + ["present"] { html += "<th>\(escape(name))</th>" }
    for metric in Self.shown {
      for suffix in ["a", "b", "change_pct"] {
        html += "<th class=\"num\">\(metric.rawValue)_\(suffix)</th>"
      }
    }
    for rate in ComparedRate.allCases {
      for suffix in ["a", "b", "change", "ci_low", "ci_high", "p", "significant"] {
        html += "<th class=\"num\">\(rate.metric.rawValue)_\(suffix)</th>"
      }
    }
    html += "</tr></thead><tbody>\n"
    for row in table.rows {
      html += "<tr>"
      for key in row.keys + [row.presence] { html += "<td>\(escape(key))</td>" }
      var cells: [String] = []
      for metric in Self.shown {
        let values = ComparisonCells.compare(
          ComparisonCells.value(metric, row.a), ComparisonCells.value(metric, row.b))
        cells += [values[0], values[1], values[3]]
      }
      for (position, rate) in ComparedRate.allCases.enumerated() {
        let values = ComparisonCells.compare(
          ComparisonCells.value(rate.metric, row.a), ComparisonCells.value(rate.metric, row.b))
        let test = ComparisonCells.testCells(row.tests[position])
        cells += values.prefix(3) + [test[1], test[2], test[0], test[3]]
      }
      for cell in cells { html += "<td class=\"num\">\(escape(cell))</td>" }
      html += "</tr>\n"
    }
    return html + "</tbody></table></div></section>\n"
  }
}
