/// Writes RFC 4180 CSV: a header row, CRLF line ends, and fields quoted when they hold a
/// comma, a quote, CR or LF, with quotes doubled.
///
/// Text cells that begin with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so that a
/// spreadsheet shows them as text and never runs them as a formula. Numbers the report
/// computes are written as they are, since a negative profit must stay a number.
public struct CSVWriter {
  private(set) var text = ""

  public init(header: [String]) {
    appendRow(header.map { Cell.text($0) })
  }

  /// A cell: text from the logs or the catalogue, or a number the report computed.
  public enum Cell {
    case text(String)
    case number(String)
  }

  public mutating func appendRow(_ cells: [Cell]) {
    text += cells.map(Self.encode).joined(separator: ",") + "\r\n"
  }

  static func encode(_ cell: Cell) -> String {
    var value: String
    switch cell {
    case .number(let number): value = number
    case .text(let raw):
      value = raw
      if let first = raw.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
        value = "'" + raw
      }
    }
    guard
      value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
    else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Returns the CSV of a report table: its dimensions, then every metric.
  public static func csv(_ table: ReportTable) -> String {
    var writer = CSVWriter(header: table.dimensions + Metric.allCases.map(\.rawValue))
    for row in table.rows {
      writer.appendRow(
        row.keys.map { Cell.text($0) } + Metric.allCases.map { .number($0.text(row.counts)) })
    }
    return writer.text
  }
}
