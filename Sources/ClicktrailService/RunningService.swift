import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSupport
import Foundation

/// The whole redirect service, wired and running: catalogue, event log, request handler
/// and HTTP server. `clicktrail serve` runs one and maps signals to `stop` and `reload`;
/// tests run one on an ephemeral loopback port.
public final class RunningService: Sendable {
  /// The settings the service starts with.
  public struct Options: Sendable {
    /// The catalogue file; `reloadCatalogue()` reads it again.
    public var cataloguePath: String
    /// The log root that receives `clicks/` and `postbacks/`.
    public var logRoot: String
    /// The HTTP server's settings, the listen address among them.
    public var server: HTTPServer.Configuration
    /// The request handling settings.
    public var service: RedirectService.Configuration
    /// The log writer's settings.
    public var writer: LogWriterConfiguration
    /// The logger for start, stop, reload and the per-minute summary.
    public var logger: Logger

    public init(
      cataloguePath: String, logRoot: String, server: HTTPServer.Configuration,
      service: RedirectService.Configuration = .init(),
      writer: LogWriterConfiguration = .init(),
      logger: Logger = Logger(label: "clicktrail.serve")
    ) {
      self.cataloguePath = cataloguePath
      self.logRoot = logRoot
      self.server = server
      self.service = service
      self.writer = writer
      self.logger = logger
    }
  }

  /// A service that could not start; the message names the file, folder or address.
  public struct StartError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// Every catalogue problem, when the catalogue is what failed.
    public let catalogueProblems: [String]
  }

  public let options: Options
  /// The request handler, with its metrics.
  public let service: RedirectService
  private let log: EventLog
  private let server: HTTPServer
  private let stopped = LockedValue(false)

  /// The port the server listens on.
  public var port: UInt16 { server.port }

  /// Loads the catalogue, checks the log root, opens the event log and starts serving.
  /// - Throws: `StartError` for an invalid catalogue, an unwritable log root, or an address
  ///   that cannot be bound; nothing is left running then.
  public init(options: Options) throws(StartError) {
    self.options = options
    let catalogue: Catalogue
    do {
      catalogue = try Catalogue.load(contentsOf: URL(fileURLWithPath: options.cataloguePath))
    } catch {
      throw StartError(
        description: "the catalogue \(options.cataloguePath) is invalid",
        catalogueProblems: error.problems)
    }
    try Self.checkWritable(options.logRoot)
    let log = EventLog(root: options.logRoot, configuration: options.writer)
    let service = RedirectService(catalogue: catalogue, log: log, configuration: options.service)
    do {
      let metrics = service.metrics
      server = try HTTPServer(
        configuration: options.server,
        onOwnAnswer: { metrics.record(endpoint: .other, status: $0) }, handler: service.handle)
    } catch {
      log.close()
      throw StartError(description: error.description, catalogueProblems: [])
    }
    self.log = log
    self.service = service
    options.logger.notice(
      "started",
      [
        "listen.address": "\(options.server.address.host)", "listen.port": "\(server.port)",
        "catalogue.path": options.cataloguePath, "log.root": options.logRoot,
        "server.threads": "\(options.server.threads)",
        "server.tls": options.server.tlsKeyPEM == nil ? "off" : "on",
      ])
  }

  /// Reads the catalogue file again and uses it for new requests. A catalogue with problems
  /// is not used: the old one stays and the problems are logged.
  /// - Returns: Whether the new catalogue is in use.
  @discardableResult
  public func reloadCatalogue() -> Bool {
    do {
      let catalogue = try Catalogue.load(contentsOf: URL(fileURLWithPath: options.cataloguePath))
      service.replaceCatalogue(catalogue)
      options.logger.notice(
        "reloaded catalogue",
        [
          "catalogue.path": options.cataloguePath,
          "catalogue.campaigns": "\(catalogue.campaigns.count)",
        ])
      return true
    } catch {
      options.logger.error(
        "kept the previous catalogue because the new one is invalid",
        ["catalogue.path": options.cataloguePath, "catalogue.problems": "\(error.problems.count)"])
      for problem in error.problems {
        options.logger.error(
          "catalogue problem", ["catalogue.path": options.cataloguePath, "problem": problem])
      }
      return false
    }
  }

  /// Writes every event logged so far to the log files now. The simulator calls it at fixed
  /// points so that member boundaries, and so the files' bytes, do not depend on timing.
  public func flushLogs() {
    log.flush()
  }

  /// The log writer's counters since the service started.
  public var logStatistics: LogWriterStatistics { log.statistics }

  /// Logs the requests of the last interval and the writer's counters.
  public func logSummary() {
    let statistics = log.statistics
    options.logger.info(
      "request summary",
      [
        "requests": "\(service.metrics.takeMinuteRequests())",
        "events.written": "\(statistics.eventsWritten)",
        "events.dropped": "\(statistics.droppedEvents)",
        "log.write_errors": "\(statistics.writeErrors)",
      ])
  }

  /// Stops gracefully: stops accepting connections, lets running requests finish, then
  /// flushes and closes the logs. Idempotent.
  public func stop() {
    let first = stopped.withLock { stopped in
      defer { stopped = true }
      return !stopped
    }
    guard first else { return }
    server.stop()
    log.close()
    let statistics = log.statistics
    options.logger.notice(
      "stopped",
      [
        "requests": "\(service.metrics.totalRequests)",
        "events.written": "\(statistics.eventsWritten)",
        "events.dropped": "\(statistics.droppedEvents)",
      ])
  }

  /// Creates the log root when missing and checks that a file can be created in it.
  private static func checkWritable(_ root: String) throws(StartError) {
    do {
      try FileManager.default.createDirectory(
        atPath: root, withIntermediateDirectories: true)
    } catch {
      throw StartError(
        description: "cannot create the log root \(root): \(error.localizedDescription)",
        catalogueProblems: [])
    }
    let probe = root + "/.clicktrail-write-check-\(getpid())"
    let descriptor = open(probe, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      throw StartError(
        description: "the log root \(root) is not writable (\(reason)); fix its permissions or "
          + "choose another folder with --logs",
        catalogueProblems: [])
    }
    close(descriptor)
    unlink(probe)
  }
}
