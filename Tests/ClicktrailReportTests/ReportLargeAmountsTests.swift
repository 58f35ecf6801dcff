import ClicktrailCLI
import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// Amounts near the limits of `Money`, as a network's postbacks can carry them: the report
/// must finish and write them, where it once stopped on an arithmetic overflow.
@Suite struct ReportLargeAmountsTests {
  static let catalogue = """
    {
      "service": { "public_url": "https://go.example.com" },
      "traffic_sources": [
        { "name": "ads", "cost_model": { "type": "cpm", "value": 0.001, "currency": "USD" } }
      ],
      "landers": [],
      "offers": [
        { "key": "o1", "url": "https://offers.example.net/?s={clickid}", "payout": 2, "currency": "USD" }
      ],
      "networks": [ { "key": "net", "secret": "secret-secret-secret" } ],
      "campaigns": [
        { "key": "beta", "source": "ads", "destination": { "offers": [{ "key": "o1", "weight": 1 }] } }
      ],
      "short_links": []
    }
    """

  /// Writes one visit and `payouts` approved postbacks for it as plain-text logs, runs the
  /// report and returns its exit status and the `beta` row of campaigns.csv.
  func report(payouts: [String]) throws -> (status: Int32, row: [String: String]) {
    let fixture = try LogFixture()
    let visit = "1761382800000\tvisit\tv1\tbeta\tads\t\to1\t\tvA\t198.51.100.0\tMozilla/5.0\t\n"
    try fixture.write(
      LogLineEncoder.header(for: .clicks) + Array(visit.utf8), to: "logs/clicks.tsv")
    var postbacks = LogLineEncoder.header(for: .postbacks)
    for (index, payout) in payouts.enumerated() {
      let line = "1761382860000\tv1\tt\(index)\tapproved\t\(payout)\tUSD\tnet\ttrue\t\t::1\t\n"
      postbacks += Array(line.utf8)
    }
    try fixture.write(postbacks, to: "logs/postbacks.tsv")
    let cataloguePath = try fixture.write(Array(Self.catalogue.utf8), to: "catalogue.json")
    let out = fixture.directory.appendingPathComponent("report").path
    let status = ClicktrailCommandLine.run(
      arguments: [
        "report", "--catalogue", cataloguePath, "--out", out,
        fixture.directory.path + "/logs",
      ],
      console: CapturedConsole())
    let text = try String(contentsOfFile: out + "/campaigns.csv", encoding: .utf8)
    let rows = text.split(separator: "\r\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    let beta = rows.first { $0.first == "beta" } ?? []
    return (status, Dictionary(uniqueKeysWithValues: zip(rows[0], beta)))
  }

  @Test func revenueBeyondMoneyIsClamped() throws {
    let (status, row) = try report(payouts: ["9223372036854.775807", "9223372036854.775807"])
    #expect(status == 0)
    #expect(row["revenue"] == "9223372036854.7758")
    #expect(row["conversions"] == "2")
  }

  @Test func roiOverTinyCostIsWritten() throws {
    // One visit at a CPM of 0.001 costs one millionth; the ROI's millionths overflow Int64.
    let (status, row) = try report(payouts: ["10000000"])
    #expect(status == 0)
    #expect(row["cost"] == "0.0000")
    #expect(row["roi"] == "9999999999999.000000")
  }
}
