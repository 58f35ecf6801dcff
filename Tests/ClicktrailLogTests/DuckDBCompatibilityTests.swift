import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// Checks that DuckDB reads log files with the query that docs/log-format.md gives, and
/// that the SQL unescaping it describes restores every value.
///
/// Needs a Python with the `duckdb` module: `CLICKTRAIL_PYTHON`, or `.venv/bin/python` in the
/// package root (which `.ci/run` creates). Without one the suite is skipped with a message.
@Suite(.enabled(if: DuckDBRunner.python != nil, "no Python with duckdb; set CLICKTRAIL_PYTHON"))
struct DuckDBCompatibilityTests {
  static let values = [
    "plain", "\"quoted\" text, with commas", "tab\there", "line\nfeed", "cr\rhere",
    "back\\slash", "\\t is not a tab", "ünïcødé ✓", "'single' quotes",
  ]

  @Test func duckDBReadsEveryValue() throws {
    let fixture = try LogFixture()
    let dayFolder = fixture.directory.appendingPathComponent("clicks/2026-12-04")
    try FileManager.default.createDirectory(at: dayFolder, withIntermediateDirectories: true)
    let compressor = GzipMemberCompressor()
    var file: [UInt8] = []
    var text = LogLineEncoder.header(for: .clicks)
    for (index, value) in Self.values.enumerated() {
      let event = ClickEvent(
        timestamp: 1_764_806_400_000 + Int64(index), kind: .visit, clickID: "id\(index)",
        campaign: "c", params: "n=\(index)", userAgent: value, referrer: value)
      LogLineEncoder.append(event, to: &text)
      // One member per line, so that DuckDB also crosses member boundaries.
      file += text.withUnsafeBytes { compressor.compress($0, stream: .clicks) }
      text = []
    }
    let path = dayFolder.appendingPathComponent("clicks-2026-12-04T00-test-1-000.tsv.gz")
    try Data(file).write(to: path)

    let query = """
      SELECT ua, referrer FROM read_csv('\(fixture.directory.path)/clicks/*/*.tsv.gz',
        delim = '\\t', header = true, quote = '', escape = '', all_varchar = true)
      ORDER BY CAST(ts AS BIGINT)
      """
    let rows = try DuckDBRunner.rows(
      sql: DuckDBRunner.unescaping(columns: ["ua", "referrer"], in: query))
    #expect(rows.count == Self.values.count)
    for (row, value) in zip(rows, Self.values) {
      #expect(row == [value, value])
    }
  }
}

/// Runs SQL in DuckDB through Python and returns the rows as strings.
enum DuckDBRunner {
  /// A Python interpreter that can import `duckdb`, or nil.
  static let python: String? = {
    var candidates: [String] = []
    if let configured = ProcessInfo.processInfo.environment["CLICKTRAIL_PYTHON"] {
      candidates.append(configured)
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".venv/bin/python").path)
    return candidates.first { candidate in
      guard FileManager.default.isExecutableFile(atPath: candidate) else { return false }
      return (try? run(python: candidate, script: "import duckdb", input: "")) != nil
    }
  }()

  /// Wraps `query` so that each of `columns` is unescaped by the documented rule.
  static func unescaping(columns: [String], in query: String) -> String {
    let placeholder = "chr(57344)"
    let decoded = columns.map { column in
      "replace(replace(replace(replace(replace(\(column), '\\\\', \(placeholder)), '\\t', "
        + "chr(9)), '\\n', chr(10)), '\\r', chr(13)), \(placeholder), '\\') AS \(column)"
    }
    return "SELECT \(decoded.joined(separator: ", ")) FROM (\(query))"
  }

  /// Runs `sql` and returns each row's values, with NULL as the empty string.
  static func rows(sql: String) throws -> [[String]] {
    let script = """
      import duckdb, json, sys
      rows = duckdb.sql(sys.stdin.read()).fetchall()
      print(json.dumps([["" if v is None else str(v) for v in row] for row in rows]))
      """
    let output = try run(python: python!, script: script, input: sql)
    return try JSONDecoder().decode([[String]].self, from: output)
  }

  private static func run(python: String, script: String, input: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script]
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "python failed"])
    }
    return output
  }
}
