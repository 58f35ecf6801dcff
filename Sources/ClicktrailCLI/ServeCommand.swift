import ClicktrailLog
import ClicktrailService
import ClicktrailSupport
import Dispatch
import Foundation

/// `clicktrail serve`: runs the redirect and postback service until SIGTERM or SIGINT.
public struct ServeCommand: Subcommand {
  public static let name = "serve"
  public static let summary = "Runs the redirect and postback service."
  public static let usage =
    "serve --config FILE --logs DIR --listen ADDR:PORT [--threads N] [--ip-privacy MODE] "
    + "[--flush-interval MS] [--tls-key FILE --tls-cert FILE] [--log-level LEVEL]"
  public static let discussion = """
    Answers campaign URLs (/c/<campaign>), short links (/<code>), the lander's click URL \
    (/click), postbacks (/postback), /healthz and /metrics, and appends every visit, click, \
    preview and postback to gzip logs under the log root. docs/endpoints.md describes each \
    endpoint.

    SIGTERM or SIGINT stops the service gracefully: it stops accepting connections, answers \
    the requests already received, flushes and closes the logs and exits 0. SIGHUP reloads \
    the catalogue; an invalid one is not used, and the reason is logged. The service logs to \
    standard error.
    """
  public static let options: [OptionSpec] = [
    .value("config", "FILE", help: "Sets the campaign catalogue (JSON). Required."),
    .value(
      "logs", "DIR",
      help: "Sets the log root; it is created when missing and must be writable. Required."),
    .value(
      "listen", "ADDR:PORT",
      help: "Sets the numeric address and port to listen on, such as 127.0.0.1:8080, "
        + "[::1]:8080 or :8080 for every IPv4 interface. Required."),
    .value(
      "threads", "N",
      help: "Sets the number of HTTP server threads. The default is the number of cores."),
    .value(
      "ip-privacy", "MODE",
      help: "Sets how much of a visitor's IP address is logged: full, truncate (IPv4 /24, "
        + "IPv6 /48) or none. The default is truncate."),
    .value(
      "flush-interval", "MS",
      help: "Sets how often, in milliseconds, buffered events are written to the logs. A crash "
        + "loses at most this much. The default is 1000."),
    .value("tls-key", "FILE", help: "Sets a PEM private key; with --tls-cert it turns on HTTPS."),
    .value("tls-cert", "FILE", help: "Sets a PEM certificate chain for --tls-key."),
    .value(
      "log-level", "LEVEL",
      help: "Sets the lowest level logged: trace, debug, info, notice, warning, error or "
        + "critical. The default is info."),
  ]

  let options: RunningService.Options

  public init(arguments: ParsedArguments) throws(UsageError) {
    guard arguments.positionals.isEmpty else {
      throw UsageError("unexpected argument '\(arguments.positionals[0])'")
    }
    func required(_ name: String) throws(UsageError) -> String {
      guard let value = arguments.value(name), !value.isEmpty else {
        throw UsageError("missing --\(name)")
      }
      return value
    }
    let address: ListenAddress
    do {
      address = try ListenAddress(parsing: try required("listen"))
    } catch let error as UsageError {
      throw error
    } catch {
      throw UsageError("\(error)")
    }
    let level = try Self.level(arguments.value("log-level") ?? "info")
    let logger = Logger(label: "clicktrail.serve", level: level)
    var server = HTTPServer.Configuration(address: address)
    if let text = arguments.value("threads") {
      guard let threads = Int(text), (1...256).contains(threads) else {
        throw UsageError("invalid --threads '\(text)': expected a whole number from 1 to 256")
      }
      server.threads = threads
    }
    switch (arguments.value("tls-key"), arguments.value("tls-cert")) {
    case (nil, nil): break
    case (let key?, let certificate?):
      server.tlsKeyPEM = try Self.readPEM(key, option: "tls-key")
      server.tlsCertificatePEM = try Self.readPEM(certificate, option: "tls-cert")
    default:
      throw UsageError("--tls-key and --tls-cert go together: give both or neither")
    }
    var service = RedirectService.Configuration()
    service.logger = logger.withLabel("clicktrail.service")
    if let text = arguments.value("ip-privacy") {
      guard let privacy = IPPrivacy(rawValue: text) else {
        throw UsageError("invalid --ip-privacy '\(text)': expected full, truncate or none")
      }
      service.ipPrivacy = privacy
    }
    var writer = LogWriterConfiguration(logger: logger.withLabel("clicktrail.writer"))
    if let text = arguments.value("flush-interval") {
      guard let milliseconds = Int(text), (10...60_000).contains(milliseconds) else {
        throw UsageError(
          "invalid --flush-interval '\(text)': expected milliseconds from 10 to 60000")
      }
      writer.flushInterval = .milliseconds(milliseconds)
    }
    options = RunningService.Options(
      cataloguePath: try required("config"), logRoot: try required("logs"), server: server,
      service: service, writer: writer, logger: logger)
  }

  public func run(console: Console) throws(CommandFailure) -> ExitStatus {
    // On Linux, libdispatch's signal sources read a signalfd, which receives only signals
    // that no thread takes. Blocking them here, before any other thread starts, makes every
    // thread inherit the mask.
    var signals = sigset_t()
    sigemptyset(&signals)
    for signalNumber in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signalNumber) }
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    let running: RunningService
    do {
      running = try RunningService(options: options)
    } catch {
      for problem in error.catalogueProblems {
        console.writeError("\(options.cataloguePath): error: \(problem)\n")
      }
      throw CommandFailure(error.description)
    }
    let finished = DispatchSemaphore(value: 0)
    let queue = DispatchQueue(label: "clicktrail.serve.signals")
    var sources: [DispatchSourceSignal] = []
    for signalNumber in [SIGTERM, SIGINT] {
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler {
        running.options.logger.notice("stopping", ["signal": "\(signalNumber)"])
        running.stop()
        finished.signal()
      }
      source.resume()
      sources.append(source)
    }
    let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
    reload.setEventHandler { running.reloadCatalogue() }
    reload.resume()
    sources.append(reload)
    let summary = DispatchSource.makeTimerSource(queue: queue)
    summary.schedule(deadline: .now() + 60, repeating: 60)
    summary.setEventHandler { running.logSummary() }
    summary.resume()
    finished.wait()
    summary.cancel()
    for source in sources { source.cancel() }
    return .success
  }

  private static func level(_ text: String) throws(UsageError) -> Logger.Level {
    guard let level = Logger.Level(name: text) else {
      let names = Logger.Level.allCases.map(\.name).joined(separator: ", ")
      throw UsageError("invalid --log-level '\(text)': expected one of \(names)")
    }
    return level
  }

  private static func readPEM(_ path: String, option: String) throws(UsageError) -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw UsageError("cannot read --\(option) file '\(path)'")
    }
    return text
  }
}
