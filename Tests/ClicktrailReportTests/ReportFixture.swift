import ClicktrailCLI
import ClicktrailLog
import ClicktrailSupport
import ClicktrailTestSupport
import Foundation

/// A hand-built set of logs, catalogue and sends whose every report value is computed by
/// hand in the tests. Times are UTC; the report runs in Europe/Berlin, where daylight saving
/// time ends on 2026-10-25 at 01:00 UTC, so that local day has 25 hours and 02:00 twice.
final class ReportFixture {
  static let catalogue = """
    {
      "service": { "public_url": "https://go.example.com" },
      "traffic_sources": [
        { "name": "sms", "parameters": ["gender", "age"],
          "cost_model": { "type": "per_message", "value": 0.01, "currency": "USD" } },
        { "name": "ads", "cost_model": { "type": "cpc", "value": 0.05, "currency": "USD" } }
      ],
      "landers": [ { "key": "l1", "url": "https://lp.example.org/?cid={clickid}" } ],
      "offers": [
        { "key": "o1", "url": "https://offers.example.net/?s={clickid}", "payout": 2, "currency": "USD" },
        { "key": "o2", "url": "https://offers.example.net/b?s={clickid}", "payout": 3, "currency": "USD" }
      ],
      "networks": [ { "key": "net", "secret": "secret-secret-secret" } ],
      "campaigns": [
        { "key": "alpha", "source": "sms", "attribution_window_days": 7,
          "destination": { "landers": [{ "key": "l1", "weight": 1 }],
                           "offers": [{ "key": "o1", "weight": 1 }] } },
        { "key": "beta", "source": "ads",
          "destination": { "offers": [{ "key": "o2", "weight": 1 }] } }
      ],
      "short_links": []
    }
    """

  static let sends = """
    campaign,segment,delivered,cost,currency
    alpha,gender=male&age=18-24,100,1.00,USD
    alpha,gender=female&age=25-34,50,0.50,USD
    alpha,gender=male&age=25-34,10,0.10,USD

    """

  static let iPhone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    + "Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
  static let android =
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    + "Chrome/124.0.0.0 Mobile Safari/537.36"
  static let windows =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    + "Chrome/120.0.0.0 Safari/537.36"
  static let googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

  /// Returns Unix milliseconds of a UTC time `YYYY-MM-DDTHH:MM`.
  static func utc(_ text: String) -> Int64 {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [
      .withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate,
    ]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return Int64(formatter.date(from: text + ":00")!.timeIntervalSince1970 * 1000)
  }

  let fixture: LogFixture
  var root: String { fixture.directory.appendingPathComponent("logs").path }
  var cataloguePath: String { fixture.directory.appendingPathComponent("catalogue.json").path }
  var sendsPath: String { fixture.directory.appendingPathComponent("sends.csv").path }
  var outputPath: String { fixture.directory.appendingPathComponent("report").path }

  init(extraClicks: [ClickEvent] = []) throws {
    fixture = try LogFixture()
    try fixture.write(Array(Self.catalogue.utf8), to: "catalogue.json")
    try fixture.write(Array(Self.sends.utf8), to: "sends.csv")
    var configuration = LogWriterConfiguration(
      flushInterval: .seconds(3600), fsyncInterval: .zero, hostName: "fixture",
      clock: ManualWallClock(milliseconds: Self.utc("2026-11-10T00:00")),
      logger: Logger(label: "test", output: CapturingLogOutput()))
    configuration.processID = 1
    let log = EventLog(root: root, configuration: configuration)
    for event in Self.clicks() + extraClicks { log.append(event) }
    for event in Self.postbacks() { log.append(event) }
    log.close()
  }

  static func visit(
    _ id: String, _ time: String, campaign: String = "alpha", params: String = "",
    visitor: String = "", agent: String = iPhone, lander: String = "l1", offer: String = ""
  ) -> ClickEvent {
    ClickEvent(
      timestamp: utc(time), kind: .visit, clickID: id, campaign: campaign,
      source: campaign == "alpha" ? "sms" : "ads", lander: lander, offer: offer, params: params,
      visitor: visitor, ip: "198.51.100.0", userAgent: agent)
  }

  static func clicks() -> [ClickEvent] {
    [
      ClickEvent(
        timestamp: utc("2026-10-25T00:29"), kind: .preview, clickID: "p1", campaign: "alpha",
        userAgent: "WhatsApp/2.23"),
      visit("v1", "2026-10-25T00:30", params: "gender=male&age=18-24", visitor: "vA"),
      ClickEvent(
        timestamp: utc("2026-10-25T00:31"), kind: .click, clickID: "v1", campaign: "alpha",
        lander: "l1", offer: "o1"),
      visit("v2", "2026-10-25T01:30", params: "gender=male&age=18-24", visitor: "vA"),
      visit(
        "v3", "2026-10-25T12:00", params: "gender=female&age=25-34", visitor: "vB",
        agent: android),
      ClickEvent(
        timestamp: utc("2026-10-25T12:05"), kind: .click, clickID: "v3", campaign: "alpha",
        lander: "l1", offer: "o1"),
      visit(
        "v4", "2026-10-26T08:00", params: "gender=female&age=25-34", visitor: "vB",
        agent: googlebot),
      visit("v5", "2026-10-26T09:00", params: "gender=female", agent: windows),
      visit("v6", "2026-10-25T10:00", campaign: "beta", visitor: "vC", lander: "", offer: "o2"),
      visit("v7", "2026-10-27T10:00", campaign: "beta", visitor: "vC", lander: "", offer: "o2"),
    ]
  }

  static func postback(
    _ id: String, _ time: String, txid: String = "", _ status: PostbackEvent.Status?,
    payout: Int64? = nil, accepted: Bool = true, reason: String = ""
  ) -> PostbackEvent {
    PostbackEvent(
      timestamp: utc(time), clickID: id, transactionID: txid, status: status,
      payout: payout.map { Money(micros: $0) }, currency: payout == nil ? "" : "USD",
      network: "net", accepted: accepted, rejectReason: reason)
  }

  static func postbacks() -> [PostbackEvent] {
    [
      postback("v1", "2026-10-25T05:00", txid: "t1", .pending, payout: 2_000_000),
      postback("v1", "2026-10-26T10:00", txid: "t1", .approved),
      postback("v1", "2026-10-26T11:00", txid: "t1", .approved),
      postback("v3", "2026-10-25T13:00", txid: "t3a", .approved, payout: 2_500_000),
      postback("v3", "2026-10-25T14:00", txid: "t3b", .declined, payout: 1_000_000),
      postback("v5", "2026-11-05T09:00", .approved, payout: 4_000_000),
      postback("v6", "2026-10-25T11:00", .approved),
      postback("v7", "2026-10-27T11:00", .approved),
      postback("ZZZZZZZZZZZZZZZZZZZZ", "2026-10-25T15:00", txid: "x", .approved),
      postback("v3", "2026-10-25T16:00", nil, accepted: false, reason: "bad_secret"),
    ]
  }

  /// Runs `clicktrail report` on the fixture and returns the exit status and console.
  func report(_ extra: [String] = [], out: String? = nil) -> (
    status: Int32, console: CapturedConsole
  ) {
    let console = CapturedConsole()
    let arguments =
      [
        "report", "--from", "2026-10-25", "--to", "2026-10-26", "--tz", "Europe/Berlin",
        "--catalogue", cataloguePath, "--sends", sendsPath, "--out", out ?? outputPath,
      ] + extra + [root]
    return (ClicktrailCommandLine.run(arguments: arguments, console: console), console)
  }

  /// Returns the rows of a CSV the report wrote, header first, split on commas (the
  /// fixture's values hold no commas or quotes).
  func csv(_ name: String) throws -> [[String]] {
    let text = try String(contentsOfFile: outputPath + "/" + name, encoding: .utf8)
    return text.split(separator: "\r\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  /// Returns the named columns of the row whose first cells are `keys`.
  func row(_ name: String, _ keys: [String]) throws -> [String: String]? {
    let rows = try csv(name)
    guard let header = rows.first else { return nil }
    guard let row = rows.dropFirst().first(where: { Array($0.prefix(keys.count)) == keys }) else {
      return nil
    }
    return Dictionary(uniqueKeysWithValues: zip(header, row))
  }
}
