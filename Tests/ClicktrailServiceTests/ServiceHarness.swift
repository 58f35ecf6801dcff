import ClicktrailLog
import ClicktrailService
import ClicktrailSupport
import ClicktrailTestSupport
import Foundation

/// A real service on an ephemeral loopback port, with its own catalogue file and log root
/// in a temporary folder, a fixed clock and seeded randomness.
final class ServiceHarness {
  static let start: Int64 = 1_764_806_400_000  // 2025-12-04T00:00:00Z
  static let secret = "network-secret-0123456789"
  static let signedSecret = "signed-network-secret-01"
  static let hmacSecret = "hmac-key-0123456789abcdef"
  static let allowlistSecret = "allowlisted-secret-012345"
  static let windowedSecret = "windowed-secret-0123456789"
  static let windowedHMACSecret = "windowed-hmac-key-0123456789"
  /// The windowed network's `signature_window_seconds`.
  static let signatureWindowSeconds: Int64 = 300

  static let catalogue = """
    {
      "service": { "public_url": "http://127.0.0.1" },
      "traffic_sources": [
        { "name": "gateway", "parameters": ["gender", "age"], "placeholder": "REPLACE",
          "cost_model": { "type": "per_message", "value": 0.01, "currency": "EUR" } }
      ],
      "landers": [
        { "key": "quiz", "url": "https://lp.example.org/quiz/?cid={clickid}&g={param:gender}&c={campaign}" }
      ],
      "offers": [
        { "key": "trial", "url": "https://offers.example.net/go?sub1={clickid}&l={lander}&a={param:age}",
          "payout": 2.5, "currency": "USD" }
      ],
      "networks": [
        { "key": "plain", "secret": "\(secret)" },
        { "key": "signed", "secret": "\(signedSecret)", "hmac_secret": "\(hmacSecret)" },
        { "key": "fenced", "secret": "\(allowlistSecret)", "ip_allowlist": ["203.0.113.0/24"] },
        { "key": "windowed", "secret": "\(windowedSecret)", "hmac_secret": "\(windowedHMACSecret)",
          "signature_window_seconds": \(signatureWindowSeconds) }
      ],
      "campaigns": [
        { "key": "spring", "source": "gateway",
          "destination": { "landers": [{ "key": "quiz", "weight": 1 }],
                           "offers": [{ "key": "trial", "weight": 1 }] } },
        { "key": "direct", "source": "gateway",
          "destination": { "offers": [{ "key": "trial", "weight": 1 }] } }
      ],
      "short_links": [
        { "code": "k7Qx2", "campaign": "spring", "params": { "gender": "male", "age": "25-34" } }
      ]
    }
    """

  let fixture: LogFixture
  let clock = ManualWallClock(milliseconds: ServiceHarness.start)
  let logOutput = CapturingLogOutput()
  let running: RunningService

  var cataloguePath: String { fixture.directory.appendingPathComponent("catalogue.json").path }
  var logRoot: String { fixture.directory.appendingPathComponent("logs").path }

  init(catalogue: String = ServiceHarness.catalogue) throws {
    fixture = try LogFixture()
    try fixture.write(Array(catalogue.utf8), to: "catalogue.json")
    let logger = Logger(label: "test", level: .trace, output: logOutput, clock: clock)
    var service = RedirectService.Configuration()
    service.clock = clock
    service.random = SeededRandomSource(seed: 7)
    service.ipPrivacy = .full
    service.logger = logger
    var writer = LogWriterConfiguration(
      flushInterval: .milliseconds(50), fsyncInterval: .zero, hostName: "test", clock: clock,
      logger: logger)
    writer.processID = 1
    var server = HTTPServer.Configuration(address: try ListenAddress(parsing: "127.0.0.1:0"))
    server.threads = 2
    running = try RunningService(
      options: .init(
        cataloguePath: fixture.directory.appendingPathComponent("catalogue.json").path,
        logRoot: fixture.directory.appendingPathComponent("logs").path, server: server,
        service: service, writer: writer, logger: logger))
  }

  deinit {
    running.stop()
  }

  func client() throws -> LoopbackHTTPClient {
    try LoopbackHTTPClient(port: running.port)
  }

  /// Stops the service (flushing the logs) and returns every event in the logs.
  func stopAndReadEvents() throws -> (clicks: [ClickEvent], postbacks: [PostbackEvent]) {
    running.stop()
    guard
      FileManager.default.fileExists(atPath: logRoot + "/clicks")
        || FileManager.default.fileExists(atPath: logRoot + "/postbacks")
    else { return ([], []) }
    let paths = try LogPathExpander.expand([logRoot])
    let result = LogReader.read(paths: paths, into: CollectingSink.self)
    for file in result.files where !file.problems.isEmpty {
      throw LoopbackHTTPClient.ClientError(description: "log problems: \(file.problems)")
    }
    var clicks: [ClickEvent] = []
    var postbacks: [PostbackEvent] = []
    for record in result.sink.records {
      switch record {
      case .click(let event): clicks.append(event)
      case .postback(let event): postbacks.append(event)
      }
    }
    return (clicks, postbacks)
  }
}
