/// Writes both streams of the service: a clicks writer and a postbacks writer under one root.
public final class EventLog: Sendable {
  /// The writer of the clicks stream.
  public let clicks: LogWriter
  /// The writer of the postbacks stream.
  public let postbacks: LogWriter

  /// Creates a writer for each stream under `root`, both with `configuration`.
  public init(root: String, configuration: LogWriterConfiguration = .init()) {
    clicks = LogWriter(root: root, stream: .clicks, configuration: configuration)
    postbacks = LogWriter(root: root, stream: .postbacks, configuration: configuration)
  }

  /// Queues a click event and returns false when it was dropped.
  @discardableResult
  public func append(_ event: ClickEvent) -> Bool {
    clicks.append(event)
  }

  /// Queues a postback event and returns false when it was dropped.
  @discardableResult
  public func append(_ event: PostbackEvent) -> Bool {
    postbacks.append(event)
  }

  /// Writes every event of both streams queued before the call.
  public func flush() {
    clicks.flush()
    postbacks.flush()
  }

  /// Flushes, fsyncs and closes both writers. Later appends return false.
  public func close() {
    clicks.close()
    postbacks.close()
  }

  /// The sum of both writers' counters.
  public var statistics: LogWriterStatistics {
    clicks.statistics + postbacks.statistics
  }
}
