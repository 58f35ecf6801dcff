import ClicktrailLog
import ClicktrailService
import ClicktrailSupport
import Foundation

/// The settings of a simulated campaign run.
public struct SimulationOptions: Sendable {
  /// The seed of every random choice, the simulator's and the service's.
  public var seed: UInt64 = 1
  /// The number of SMS recipients, 1 to 50,000.
  public var recipients = 30_000
  /// The number of days over which batches are sent.
  public var days = 14
  /// The first day, `YYYY-MM-DD` in UTC.
  public var startDate = "2026-11-02"
  /// The folder that receives `catalogue.json`, `gateway-export.csv.gz` and `logs/`.
  public var outputDirectory = "SampleLogs"

  public init() {}

  /// Returns the start of `text` (`YYYY-MM-DD`) in Unix milliseconds, or nil when it is not
  /// a valid date.
  public static func startMilliseconds(_ text: String) -> Int64? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard text.utf8.count == 10, parts.count == 3, let year = Int64(parts[0]),
      let month = Int64(parts[1]), let day = Int64(parts[2]), (1970...9999).contains(year),
      (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    // Howard Hinnant's days-from-civil on the proleptic Gregorian calendar.
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = shiftedYear / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    let milliseconds = days * 86_400_000
    // A day past the month's end, such as 02-30, comes back as another date.
    let civil = CivilTime(secondsSinceEpoch: days * 86_400)
    guard civil.month == Int(month), civil.day == Int(day) else { return nil }
    return milliseconds
  }
}

/// The counts of a run, for the summary line and for tests.
public struct SimulationResult: Sendable {
  /// Sent, delivered and charged messages of one campaign and segment.
  public struct Sends: Sendable, Equatable {
    public var messages = 0
    public var delivered = 0
    /// The price of the delivered messages in millionths of a US dollar.
    public var deliveredCostMicros: Int64 = 0
  }

  public var messages = 0
  public var delivered = 0
  public var undelivered = 0
  public var failed = 0
  /// Visits the service redirected, crawler visits among them.
  public var visits = 0
  public var botVisits = 0
  public var previews = 0
  public var clicks = 0
  public var postbacks = 0
  public var postbacksAccepted = 0
  public var conversions = 0
  /// Requests that got a response with an unexpected status; 0 in a sound run.
  public var unexpectedAnswers = 0
  /// The sends by campaign key and segment label (`gender=male&age=25-34`).
  public var sends: [String: [String: Sends]] = [:]
  /// The click ID of every visit the service redirected, from the Location field.
  public var visitClickIDs: Set<String> = []

  /// The summary printed after a run.
  public var summary: String {
    "messages \(messages), delivered \(delivered), visits \(visits) (crawlers \(botVisits)), "
      + "previews \(previews), clicks \(clicks), postbacks sent \(postbacks) "
      + "(accepted \(postbacksAccepted), conversions \(conversions))"
  }
}

/// A run that could not be done; the message names the file or folder.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
  public let description: String
}

/// Plays a whole SMS campaign against the real redirect service over loopback HTTP and
/// writes the catalogue, the gateway's export and the service's logs.
public enum Simulator {
  /// Runs the scenario. The same options give byte-identical output.
  /// - Parameter progress: Receives a line now and then while requests are sent.
  public static func run(
    _ options: SimulationOptions, progress: (@Sendable (String) -> Void)? = nil
  ) throws(SimulationError) -> SimulationResult {
    guard let start = SimulationOptions.startMilliseconds(options.startDate) else {
      throw SimulationError(description: "invalid start date '\(options.startDate)'")
    }
    guard (1...Scenario.maxRecipients).contains(options.recipients), options.days >= 1 else {
      throw SimulationError(
        description: "invalid recipients \(options.recipients) or days \(options.days): expected "
          + "1 to \(Scenario.maxRecipients) recipients and at least 1 day")
    }
    let output = try OutputFolder(options.outputDirectory)
    let catalogue = ScenarioCatalogue()
    try output.write(catalogue.json(), to: "catalogue.json")
    var random = SimulationRandom(seed: options.seed)
    let messages = MessagePlanner.messages(
      recipients: options.recipients, days: options.days, start: start, catalogue: catalogue,
      random: &random)
    let export = GatewayExport.csv(
      messages: messages, catalogue: catalogue,
      accountSID: GatewayExport.accountSID(seed: options.seed))
    try output.write(export, to: GatewayExport.fileName, compressed: true)
    let schedule = Schedule.build(
      messages: messages, catalogue: catalogue, start: start, days: options.days,
      random: &random)

    let clock = ManualWallClock(milliseconds: start)
    let running = try startService(output: output, seed: options.seed, clock: clock)
    defer { running.stop() }
    var replay: Replay
    do {
      let client = try LoopbackClient(port: running.port)
      replay = Replay(
        schedule: schedule, messages: messages, catalogue: catalogue, client: client,
        clock: clock, flush: { running.flushLogs() })
      try replay.run(
        progress: progress.map { report in
          { done, total in report("sent \(done) of \(total) planned requests") }
        })
    } catch {
      throw SimulationError(description: "the loopback service failed: \(error.description)")
    }
    running.stop()
    let statistics = running.logStatistics
    guard statistics.droppedEvents == 0, statistics.writeErrors == 0 else {
      throw SimulationError(
        description: "the service dropped \(statistics.droppedEvents) events and had "
          + "\(statistics.writeErrors) write errors under \(output.logRoot)")
    }
    return result(messages: messages, catalogue: catalogue, counters: replay.counters)
  }

  private static func startService(
    output: OutputFolder, seed: UInt64, clock: ManualWallClock
  ) throws(SimulationError) -> RunningService {
    let logger = Logger(label: "clicktrail.simulate", level: .warning, clock: clock)
    var service = RedirectService.Configuration()
    service.clock = clock
    service.random = SeededRandomSource(seed: seed ^ 0x5E_41_1C_E0)
    // Every request comes from 127.0.0.1, which tells a report nothing about a visitor.
    service.ipPrivacy = .none
    service.logger = logger
    let writer = LogWriterConfiguration(
      flushInterval: .seconds(86_400), hostName: "sim", processID: 1, clock: clock,
      logger: logger)
    do {
      var server = HTTPServer.Configuration(address: try ListenAddress(parsing: "127.0.0.1:0"))
      server.threads = 1
      return try RunningService(
        options: .init(
          cataloguePath: output.path("catalogue.json"), logRoot: output.logRoot,
          server: server, service: service, writer: writer, logger: logger))
    } catch let error as RunningService.StartError {
      let problems = error.catalogueProblems.joined(separator: "; ")
      throw SimulationError(
        description: error.description + (problems.isEmpty ? "" : ": \(problems)"))
    } catch {
      throw SimulationError(description: "\(error)")
    }
  }

  private static func result(
    messages: [Message], catalogue: ScenarioCatalogue, counters: Replay.Counters
  ) -> SimulationResult {
    var result = SimulationResult()
    result.messages = messages.count
    for message in messages {
      let campaign = Scenario.campaigns[message.campaign].key
      let segment = Scenario.segments[message.segment].label
      var sends = result.sends[campaign, default: [:]][segment, default: .init()]
      sends.messages += 1
      switch message.status {
      case .delivered:
        result.delivered += 1
        sends.delivered += 1
        sends.deliveredCostMicros += message.priceMicros
      case .undelivered: result.undelivered += 1
      case .failed: result.failed += 1
      }
      result.sends[campaign, default: [:]][segment] = sends
    }
    result.visits = counters.visits
    result.botVisits = counters.botVisits
    result.previews = counters.previews
    result.clicks = counters.clicks
    result.postbacks = counters.postbacks
    result.postbacksAccepted = counters.postbacksAccepted
    result.conversions = counters.conversions
    result.unexpectedAnswers = counters.unexpectedAnswers
    result.visitClickIDs = counters.visitClickIDs
    return result
  }
}
