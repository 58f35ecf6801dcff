import ClicktrailSupport
import Foundation
import Synchronization

/// The state that appending threads share with the flusher, guarded by `LogWriterCore.queue`.
struct WriterQueue: Sendable {
  /// The encoded lines not yet taken by a flush, per UTC hour index.
  var pending: [Int64: [UInt8]] = [:]
  /// The bytes of lines pending or in flight, which `maxQueueBytes` caps.
  var queuedBytes = 0
  /// Set by `close()`, after which appends are dropped.
  var closed = false
  var statistics = LogWriterStatistics()
  /// Drops since the last queue-full warning, reported with the next one.
  var dropsSinceWarning = 0
  var droppedBytesSinceWarning = 0
  var lastDropWarning: Int64?
}

/// The state that only a flush touches, guarded by `LogWriterCore.io` so that the flusher thread
/// and `flush()` callers take turns.
struct FlusherState {
  let compressor: GzipMemberCompressor
  /// The open file of each UTC hour index.
  var files: [Int64: OpenLogFile] = [:]
  /// The sequence number to try first for each hour, one past the last file created.
  var nextSequence: [Int64: Int] = [:]
  /// True once the writer has created a file, after which it no longer creates the root.
  var createdFile = false
  var lastSync = ContinuousClock.now
  var lastErrorLog: Int64?
  var suppressedErrors = 0
}

/// A log file the writer has open.
struct OpenLogFile {
  let descriptor: Int32
  let path: String
  let hourIndex: Int64
  let sequence: Int
  /// The compressed bytes in the file.
  var bytes = 0
  var members = 0
  /// True when members were written since the last `fsync`.
  var needsSync = false
  /// The events in members written since the last successful `fsync`.
  var unsyncedEvents = 0
}

/// The engine behind `LogWriter`: the queue, the flusher thread and the open files.
///
/// It is separate from `LogWriter` so that the flusher thread can hold it without keeping the
/// public object alive, and `LogWriter.deinit` can stop the thread.
final class LogWriterCore: Sendable {
  /// The shortest time between two queue-full warnings or two write-error messages, in ms.
  static let messageIntervalMilliseconds: Int64 = 10_000

  let root: String
  let stream: LogStream
  let configuration: LogWriterConfiguration
  let header: [UInt8]
  let queue = LockedValue(WriterQueue())
  let io: LockedValue<FlusherState>
  /// Signalled to wake the flusher early: a member's worth is pending, or the writer closes.
  let wakeup = DispatchSemaphore(value: 0)
  /// Signalled by the flusher thread as it exits.
  let flusherExited = DispatchSemaphore(value: 0)
  let stopping = Atomic<Bool>(false)
  let closeStarted = Atomic<Bool>(false)

  init(root: String, stream: LogStream, configuration: LogWriterConfiguration) {
    self.root = root
    self.stream = stream
    self.configuration = configuration
    self.header = LogLineEncoder.header(for: stream)
    let level = Int32(min(max(configuration.compressionLevel, 1), 9))
    io = LockedValue(FlusherState(compressor: GzipMemberCompressor(level: level)))
  }

  var logger: Logger { configuration.logger }

  // MARK: - Flusher thread

  /// Starts the flusher thread, which holds only this core.
  func startFlusher() {
    let thread = Thread { [self] in runFlusher() }
    thread.name = "clicktrail.writer.\(stream.rawValue)"
    thread.start()
  }

  private func runFlusher() {
    // Waits longer than a day are cut to a day, after which the flusher runs an empty pass.
    let intervalMilliseconds = min(
      max(configuration.flushInterval.wholeMilliseconds, 1), 86_400_000)
    while !stopping.load(ordering: .acquiring) {
      _ = wakeup.wait(timeout: .now() + .milliseconds(Int(intervalMilliseconds)))
      if stopping.load(ordering: .acquiring) { break }
      flushPending(final: false)
    }
    flusherExited.signal()
  }

  // MARK: - Appending

  /// Queues one encoded line for the hour of `timestamp`.
  /// - Returns: False when the line was dropped because the queue is full or the writer closed.
  func enqueue(line: [UInt8], timestamp: Int64, truncatedFields: Int) -> Bool {
    let hour = LogFileLayout.hourIndex(ofMilliseconds: timestamp)
    let maxQueueBytes = configuration.maxQueueBytes
    let maxMemberBytes = configuration.maxMemberBytes
    let outcome = queue.withLock { queue -> AppendOutcome in
      queue.statistics.eventsAppended += 1
      guard !queue.closed, queue.queuedBytes + line.count <= maxQueueBytes else {
        queue.statistics.droppedEvents += 1
        queue.statistics.droppedBytes += line.count
        queue.dropsSinceWarning += 1
        queue.droppedBytesSinceWarning += line.count
        return .dropped
      }
      queue.queuedBytes += line.count
      queue.statistics.truncatedFields += truncatedFields
      queue.pending[hour, default: []].append(contentsOf: line)
      let size = queue.pending[hour]?.count ?? 0
      // Wake the flusher once, as the hour's buffer crosses the member size.
      return size >= maxMemberBytes && size - line.count < maxMemberBytes ? .queuedFull : .queued
    }
    switch outcome {
    case .queued:
      return true
    case .queuedFull:
      wakeup.signal()
      return true
    case .dropped:
      warnAboutDropsIfDue()
      return false
    }
  }

  private enum AppendOutcome: Sendable {
    case queued
    case queuedFull
    case dropped
  }

  /// Logs the drops since the last warning, unless a warning went out in the last 10 s.
  func warnAboutDropsIfDue() {
    let now = configuration.clock.nowMilliseconds()
    let report = queue.withLock { queue -> (events: Int, bytes: Int, closed: Bool)? in
      guard queue.dropsSinceWarning > 0 else { return nil }
      if let last = queue.lastDropWarning, now - last < Self.messageIntervalMilliseconds {
        return nil
      }
      let report = (queue.dropsSinceWarning, queue.droppedBytesSinceWarning, queue.closed)
      queue.lastDropWarning = now
      queue.dropsSinceWarning = 0
      queue.droppedBytesSinceWarning = 0
      return report
    }
    guard let report else { return }
    logger.warning(
      "dropped log events because the write queue is full or the writer is closed",
      [
        "log.stream": stream.rawValue, "dropped.events": String(report.events),
        "dropped.bytes": String(report.bytes),
        "queue.max_bytes": String(configuration.maxQueueBytes),
        "writer.closed": String(report.closed),
      ])
  }

  // MARK: - Closing

  /// Rejects further appends, stops the flusher thread, writes what is pending, fsyncs and
  /// closes every file. Calls after the first return at once.
  func close() {
    guard
      closeStarted.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        .exchanged
    else { return }
    queue.withLock { $0.closed = true }
    stopping.store(true, ordering: .releasing)
    wakeup.signal()
    flusherExited.wait()
    flushPending(final: true)
  }
}
