import ClicktrailSimulator
import Foundation

/// `clicktrail simulate`: plays an SMS campaign against the real service on loopback and
/// writes its catalogue, the gateway's export and the service's logs.
struct SimulateCommand: Subcommand {
  static let name = "simulate"
  static let summary = "Simulates an SMS campaign against the service and writes sample logs."
  static let usage =
    "simulate [--seed N] [--out DIR] [--recipients N] [--days D] [--start YYYY-MM-DD] "
    + "[--fast --events N]"
  static let discussion = """
    Sends an SMS campaign to fictional recipients (two campaigns, ten gender and age \
    segments, one short link each) and plays their visits, lander clicks, link previews, \
    crawler hits and the network's conversion postbacks against a real redirect service \
    started on 127.0.0.1 with a simulated clock. It writes catalogue.json, \
    gateway-export.csv (the gateway's message log in Twilio's CSV layout) and the \
    service's logs under DIR/logs, which it replaces. The same options give byte-identical \
    files. docs/simulator.md describes the scenario and its rates.

    With --fast it skips HTTP and writes N events straight to the log writer, for \
    benchmarks; it then writes catalogue.json and logs/ only.

    Prints a summary to standard error, and progress while it runs when standard error is \
    a terminal.
    """
  static let options: [OptionSpec] = [
    .value("seed", "N", help: "Sets the seed of every random choice. The default is 1."),
    .value(
      "out", "DIR",
      help: "Sets the output folder; its logs/ folder is replaced. The default is SampleLogs."),
    .value(
      "recipients", "N",
      help: "Sets the number of SMS recipients, 1 to 50000. The default is 30000."),
    .value("days", "D", help: "Sets the days of sending, 1 to 90. The default is 14."),
    .value(
      "start", "YYYY-MM-DD",
      help: "Sets the first day of sending (UTC). The default is 2026-11-02."),
    .flag("fast", help: "Writes --events events straight to the log writer, without HTTP."),
    .value(
      "events", "N",
      help: "Sets the number of events that --fast writes, 1 to 1000000000. Required with --fast."
    ),
  ]

  let options: SimulationOptions
  let fastEvents: Int?

  init(arguments: ParsedArguments) throws(UsageError) {
    guard arguments.positionals.isEmpty else {
      throw UsageError("unexpected argument '\(arguments.positionals[0])'")
    }
    var options = SimulationOptions()
    if let text = arguments.value("seed") {
      guard let seed = UInt64(text) else {
        throw UsageError("invalid --seed '\(text)': expected a whole number from 0 to 2^64-1")
      }
      options.seed = seed
    }
    if let text = arguments.value("out") {
      guard !text.isEmpty else { throw UsageError("--out needs a folder name") }
      options.outputDirectory = text
    }
    options.recipients = try Self.number(arguments, "recipients", 1...50_000) ?? 30_000
    options.days = try Self.number(arguments, "days", 1...90) ?? 14
    if let text = arguments.value("start") {
      guard SimulationOptions.startMilliseconds(text) != nil else {
        throw UsageError("invalid --start '\(text)': expected a date such as 2026-11-02")
      }
      options.startDate = text
    }
    let events = try Self.number(arguments, "events", 1...1_000_000_000)
    switch (arguments.flag("fast"), events) {
    case (true, nil): throw UsageError("--fast needs --events N")
    case (false, .some): throw UsageError("--events goes with --fast")
    default: break
    }
    self.options = options
    fastEvents = events
  }

  func run(console: Console) throws(CommandFailure) -> ExitStatus {
    var progress: (@Sendable (String) -> Void)?
    if console.errorIsTerminal {
      progress = { line in console.writeError("\r\(line)\u{1B}[K") }
    }
    do {
      if let fastEvents {
        let written = try FastLogs.write(options, events: fastEvents, progress: progress)
        if progress != nil { console.writeError("\r\u{1B}[K") }
        console.writeError("wrote \(written) events to \(options.outputDirectory)/logs\n")
      } else {
        let result = try Simulator.run(options, progress: progress)
        if progress != nil { console.writeError("\r\u{1B}[K") }
        console.writeError(result.summary + "\n")
        guard result.unexpectedAnswers == 0 else {
          throw CommandFailure(
            "the service sent \(result.unexpectedAnswers) responses with an unexpected status; the logs in "
              + "\(options.outputDirectory)/logs are incomplete")
        }
      }
    } catch let error as SimulationError {
      throw CommandFailure(error.description)
    } catch let error as CommandFailure {
      throw error
    } catch {
      throw CommandFailure("\(error)")
    }
    return .success
  }

  private static func number(
    _ arguments: ParsedArguments, _ name: String, _ range: ClosedRange<Int>
  ) throws(UsageError) -> Int? {
    guard let text = arguments.value(name) else { return nil }
    guard let value = Int(text), range.contains(value) else {
      throw UsageError(
        "invalid --\(name) '\(text)': expected a whole number from \(range.lowerBound) to "
          + "\(range.upperBound)")
    }
    return value
  }
}
