/// Counters of a `LogWriter` since it was created, for metrics export.
///
/// Once everything is flushed, `eventsAppended == eventsWritten + droppedEvents`.
public struct LogWriterStatistics: Sendable, Equatable {
  /// The events passed to `append`, whether queued or dropped.
  public var eventsAppended: Int = 0
  /// The events written to a file in a complete member.
  public var eventsWritten: Int = 0
  /// The gzip members written.
  public var membersWritten: Int = 0
  /// The compressed bytes written, headers included.
  public var bytesWritten: Int = 0
  /// The log files created.
  public var filesOpened: Int = 0
  /// The events lost: rejected by `append` (queue full or writer closed) or lost to a write
  /// error.
  public var droppedEvents: Int = 0
  /// The encoded bytes of the events in `droppedEvents`.
  public var droppedBytes: Int = 0
  /// The failed system calls on log files and folders (`open`, `mkdir`, `write`, `fsync`).
  public var writeErrors: Int = 0
  /// The events counted in `eventsWritten` whose file then failed to `fsync`. Linux drops the
  /// pages of a failed fsync, so these may be missing after a power loss or a file system
  /// error, although a reader of the running system may still see them.
  public var unsyncedEvents: Int = 0
  /// The field values cut to their column's cap in queued events.
  public var truncatedFields: Int = 0
  /// The duration of the latest flush that wrote data, in microseconds.
  public var lastFlushMicroseconds: Int = 0
  /// The sum of the durations of all flushes that wrote data, in microseconds.
  public var flushMicrosecondsTotal: Int = 0
  /// The number of flushes that wrote data.
  public var flushCount: Int = 0

  /// Creates statistics with every counter at zero.
  public init() {}

  /// Returns the sum of two writers' counters, taking the larger `lastFlushMicroseconds`.
  public static func + (lhs: LogWriterStatistics, rhs: LogWriterStatistics) -> LogWriterStatistics {
    var sum = LogWriterStatistics()
    sum.eventsAppended = lhs.eventsAppended + rhs.eventsAppended
    sum.eventsWritten = lhs.eventsWritten + rhs.eventsWritten
    sum.membersWritten = lhs.membersWritten + rhs.membersWritten
    sum.bytesWritten = lhs.bytesWritten + rhs.bytesWritten
    sum.filesOpened = lhs.filesOpened + rhs.filesOpened
    sum.droppedEvents = lhs.droppedEvents + rhs.droppedEvents
    sum.droppedBytes = lhs.droppedBytes + rhs.droppedBytes
    sum.writeErrors = lhs.writeErrors + rhs.writeErrors
    sum.truncatedFields = lhs.truncatedFields + rhs.truncatedFields
    sum.unsyncedEvents = lhs.unsyncedEvents + rhs.unsyncedEvents
    sum.lastFlushMicroseconds = max(lhs.lastFlushMicroseconds, rhs.lastFlushMicroseconds)
    sum.flushMicrosecondsTotal = lhs.flushMicrosecondsTotal + rhs.flushMicrosecondsTotal
    sum.flushCount = lhs.flushCount + rhs.flushCount
    return sum
  }
}
