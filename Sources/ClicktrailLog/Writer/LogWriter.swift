/// Writes the events of one stream to hourly gzip log files under a root folder.
///
/// `append` encodes the line on the calling thread and queues it in memory. It never touches
/// the disk and never waits for it. A background thread writes each UTC hour's pending lines
/// as a gzip member to that hour's file every `flushInterval`, or sooner once `maxMemberBytes`
/// are pending. When the queue is full, or a write fails, events are dropped and counted in
/// `statistics` rather than slowing the caller. See `LogFileLayout` for file names.
public final class LogWriter: Sendable {
  private let core: LogWriterCore

  /// Creates a writer and starts its flusher thread. No file is created until data is written.
  /// - Parameters:
  ///   - root: The folder under which `<stream>/<YYYY-MM-DD>/` folders are created as needed.
  ///   - stream: The stream whose events this writer takes.
  ///   - configuration: The intervals, limits and dependencies (see `LogWriterConfiguration`).
  public init(
    root: String, stream: LogStream, configuration: LogWriterConfiguration = .init()
  ) {
    core = LogWriterCore(root: root, stream: stream, configuration: configuration)
    core.startFlusher()
  }

  deinit {
    core.close()
  }

  /// The stream this writer takes.
  public var stream: LogStream { core.stream }
  /// The folder the writer writes under.
  public var root: String { core.root }
  /// The configuration the writer was created with.
  public var configuration: LogWriterConfiguration { core.configuration }

  /// Counters since the writer was created.
  public var statistics: LogWriterStatistics {
    core.queue.withLock { $0.statistics }
  }

  /// Queues a click event for its UTC hour's file.
  /// - Returns: False when the event was dropped (queue full, writer closed, or the event
  ///   belongs to the other stream). The drop is counted.
  @discardableResult
  public func append(_ event: ClickEvent) -> Bool {
    var line: [UInt8] = []
    line.reserveCapacity(384)
    let truncated = LogLineEncoder.append(event, to: &line)
    return enqueue(line, stream: .clicks, timestamp: event.timestamp, truncated: truncated)
  }

  /// Queues a postback event for its UTC hour's file.
  /// - Returns: False when the event was dropped (queue full, writer closed, or the event
  ///   belongs to the other stream). The drop is counted.
  @discardableResult
  public func append(_ event: PostbackEvent) -> Bool {
    var line: [UInt8] = []
    let truncated = LogLineEncoder.append(event, to: &line)
    return enqueue(line, stream: .postbacks, timestamp: event.timestamp, truncated: truncated)
  }

  /// Writes every event queued before the call, and returns once the members are written.
  ///
  /// The members are fsynced only when `fsyncInterval` is due, so after `flush()` a crash of
  /// the process loses nothing, but a power loss may.
  public func flush() {
    core.flushPending(final: false)
  }

  /// Writes what is pending, fsyncs and closes every file, and stops the flusher thread.
  /// Appends after this return false. Calling it again does nothing.
  public func close() {
    core.close()
  }

  private func enqueue(_ line: [UInt8], stream: LogStream, timestamp: Int64, truncated: Int)
    -> Bool
  {
    guard stream == core.stream else {
      core.queue.withLock { queue in
        queue.statistics.eventsAppended += 1
        queue.statistics.droppedEvents += 1
        queue.statistics.droppedBytes += line.count
      }
      assertionFailure("a \(stream.rawValue) event was appended to a \(core.stream) writer")
      return false
    }
    return core.enqueue(line: line, timestamp: timestamp, truncatedFields: truncated)
  }
}
