import ClicktrailSupport
import Foundation

/// Renders the report as one self-contained HTML page: inline CSS and script, inline SVG
/// charts, every table sortable, the metric definitions, the inputs and the accounting.
/// Every value from the logs or the catalogue is HTML-escaped.
struct HTMLReport {
  let output: ReportBuilder.Output
  let inputs: ReportRunner.Inputs

  func render() -> String {
    var html = """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Clicktrail report</title>
      <style>\(Self.style)</style>
      </head>
      <body>
      <h1>Clicktrail report</h1>
      <p class="range">\(Self.escape(rangeText))</p>

      """
    html += HTMLCharts.dailyTrend(output.tables.first { $0.name == "days" })
    if let funnel = output.tables.first(where: { $0.name.hasPrefix("param-") }) {
      html += HTMLCharts.funnel(funnel)
    }
    html += Self.navigation(
      output.tables.map { ($0.name, $0.title) } + [
        ("postback-problems", "Postback problems"), ("definitions", "Definitions"),
        ("accounting", "Inputs and accounting"),
      ])
    for table in output.tables { html += render(table) }
    html += renderProblems()
    html += renderDefinitions()
    html += renderAccounting()
    html += "<script>\(Self.script)</script>\n</body>\n</html>\n"
    return html
  }

  private var rangeText: String {
    let settings = inputs.settings
    let range =
      switch (settings.from, settings.to) {
      case (let from?, let to?): "\(from) to \(to)"
      default: "all days in the logs"
      }
    return "\(range), time zone \(settings.timeZoneName); conversions counted on the "
      + (settings.conversionsOnPostbackDay ? "postback's day" : "visit's day")
  }

  private func render(_ table: ReportTable) -> String {
    let metrics = Metric.allCases
    var html = "<section id=\"\(Self.escape(table.name))\"><h2>\(Self.escape(table.title))</h2>"
    html += "<p class=\"file\">\(Self.escape(table.name)).csv, \(table.rows.count) rows</p>"
    html += "<div class=\"scroll\"><table class=\"sortable\"><thead><tr>"
    for name in table.dimensions { html += "<th>\(Self.escape(name))</th>" }
    for metric in metrics {
      html +=
        "<th class=\"num\" title=\"\(Self.escape(metric.definition))\">\(metric.rawValue)</th>"
    }
    html += "</tr></thead><tbody>\n"
    for row in table.rows {
      html += "<tr>"
      for key in row.keys { html += "<td>\(Self.escape(key))</td>" }
      for metric in metrics {
        html += "<td class=\"num\">\(metric.text(row.counts))</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody></table></div></section>\n"
  }

  private func renderProblems() -> String {
    var html = "<section id=\"postback-problems\"><h2>Postback problems</h2>"
    guard !output.postbackProblems.isEmpty else { return html + "<p>None.</p></section>\n" }
    html += "<div class=\"scroll\"><table class=\"sortable\"><thead><tr>"
    for name in ["time (UTC)", "problem", "click_id", "txid", "status", "payout", "detail"] {
      html += "<th>\(name)</th>"
    }
    html += "</tr></thead><tbody>\n"
    for problem in output.postbackProblems {
      let cells = [
        ReportTime.utc(problem.timestamp), problem.kind.rawValue, problem.clickID,
        problem.transactionID, problem.status, problem.payout, problem.detail,
      ]
      html += "<tr>" + cells.map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>\n"
    }
    return html + "</tbody></table></div></section>\n"
  }

  private func renderDefinitions() -> String {
    var html = "<section id=\"definitions\"><h2>Definitions</h2><dl>"
    for metric in Metric.allCases {
      html += "<dt>\(metric.rawValue)</dt><dd>\(Self.escape(metric.definition))</dd>"
    }
    html += "</dl><p>Ratios are empty where their denominator is 0 or unknown. A visit is "
    html += "counted once per click ID; its visitor key is the <code>visitor</code> column, or "
    html += "the IP address and user agent when the service set none.</p></section>\n"
    return html
  }

  private func renderAccounting() -> String {
    let accounting = output.accounting
    let rows: [(String, String)] = [
      ("log paths", inputs.paths.joined(separator: ", ")),
      ("catalogue", inputs.cataloguePath ?? "none"), ("sends", inputs.sendsPath ?? "none"),
      ("files read", String(accounting.files)),
      ("lines read", String(accounting.linesRead)), ("events", String(accounting.events)),
      ("lines that are not events (headers, rejected lines)", String(accounting.linesNotEvents)),
      ("problems in the logs", String(accounting.problems)),
      ("damaged files", accounting.damagedFiles.joined(separator: ", ")),
      ("visits in range", String(accounting.visitsInRange)),
      ("visits outside the range", String(accounting.visitsOutsideRange)),
      ("bots", String(accounting.bots)), ("previews", String(accounting.previews)),
      ("clicks joined to a visit", String(accounting.clicksJoined)),
      ("clicks without a visit in range", String(accounting.clicksWithoutVisit)),
      ("postbacks read", String(accounting.postbacks)),
      ("conversions", String(accounting.conversions)),
      (
        "conversions of visits outside the range or by bots",
        String(accounting.conversionsOutsideRange)
      ),
      ("status updates", String(accounting.statusUpdates)),
      ("postbacks read through (UTC day)", accounting.postbacksReadThrough),
      ("messages sent outside the range (not counted)", String(accounting.sendsOutsideRange)),
      (
        "sends and per-message costs",
        accounting.sendsCoverWholeFile
          ? "cover the whole sends file: it has no dates to limit them to the range"
          : "limited to the range by the export's SentDate"
      ),
    ]
    var html = "<section id=\"accounting\"><h2>Inputs and accounting</h2><table>"
    for (name, value) in rows {
      html += "<tr><th>\(Self.escape(name))</th><td>\(Self.escape(value))</td></tr>"
    }
    return html + "</table></section>\n"
  }

  /// Returns the page's table of contents: a link to each of `entries` (anchor and title),
  /// the tables first, then the other sections.
  static func navigation(_ entries: [(anchor: String, title: String)]) -> String {
    var html = "<nav><h2>Tables</h2><ul>"
    for entry in entries {
      html += "<li><a href=\"#\(escape(entry.anchor))\">\(escape(entry.title))</a></li>"
    }
    return html + "</ul></nav>\n"
  }

  /// Escapes the five characters that HTML gives a meaning.
  static func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  static let style = """
    body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}\
    h1{margin-bottom:0}.range,.file{color:#666}table{border-collapse:collapse;margin:.5em 0}\
    th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;white-space:nowrap}\
    th{background:#f4f4f4;cursor:pointer}td.num,th.num{text-align:right}\
    .scroll{overflow-x:auto}nav ul{columns:3}svg{max-width:100%;height:auto}\
    th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}dt{font-weight:bold}
    """

  /// Sorts a table by the clicked column, ascending and then descending. Cells compare as
  /// numbers only when every non-empty cell of the column is a decimal, so dates and IDs are text.
  static let script = """
    document.querySelectorAll("table.sortable").forEach(function(table){\
    table.querySelectorAll("th").forEach(function(th,index){th.addEventListener("click",\
    function(){var body=table.tBodies[0];var rows=Array.prototype.map.call(body.rows,\
    function(row){var cell=row.cells[index];\
    return{row:row,key:cell?cell.textContent.trim():""};});\
    var numeric=rows.every(function(r){return r.key===""||/^-?\\d+(\\.\\d+)?$/.test(r.key);});\
    var descending=th.classList.contains("asc");table.querySelectorAll("th").forEach(\
    function(other){other.classList.remove("asc","desc");});\
    th.classList.add(descending?"desc":"asc");rows.sort(function(a,b){var x=a.key,y=b.key;\
    var c=numeric&&x!==""&&y!==""?Number(x)-Number(y):x.localeCompare(y);\
    return descending?-c:c;});rows.forEach(function(r){body.appendChild(r.row);});});});});
    """
}

/// Formats report times.
enum ReportTime {
  static func utc(_ milliseconds: Int64) -> String {
    Logger.formatTimestamp(milliseconds)
  }
}
