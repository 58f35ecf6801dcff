import ClicktrailSupport
import Foundation

/// The settings of a `LogWriter`, each with a default suited to the redirect service.
public struct LogWriterConfiguration: Sendable {
  /// The longest time pending events wait before they are written as a member. Default 1 s.
  /// The flusher thread wakes this often, so it also sets how soon old hour files close.
  public var flushInterval: Duration
  /// The uncompressed size in bytes at which an hour's pending events are written early, and
  /// the largest member the writer makes, except that a single longer line makes a member of
  /// its own. Default 1 MiB.
  public var maxMemberBytes: Int
  /// The compressed size at which a file is closed and the next sequence number opened. Default
  /// 256 MiB. A file ends at most one member past this size.
  public var maxFileBytes: Int
  /// The longest time written members wait for `fsync`. Default 1 s. Zero fsyncs each file
  /// after every member.
  public var fsyncInterval: Duration
  /// The cap on encoded lines pending and in flight, in bytes. Default 16 MiB. An event
  /// that does not fit is dropped and counted.
  public var maxQueueBytes: Int
  /// The zlib level, 1 (fastest) to 9 (smallest). Default 6.
  public var compressionLevel: Int
  /// The host name written in file names, sanitised there. Default: the system's host name.
  public var hostName: String
  /// The process ID written in file names. Default: this process's ID.
  public var processID: Int32
  /// The time source for hour routing, file closing and rate limits. Default: the system
  /// clock.
  public var clock: any WallClock
  /// The logger for file events and errors. Default: `clicktrail.writer` at `info`.
  public var logger: Logger

  /// A `write(2)`-like call: descriptor, buffer and byte count in, bytes written or -1 with
  /// `errno` set out.
  typealias WriteCall = @Sendable (Int32, UnsafeRawPointer, Int) -> Int
  /// The call that writes members, replaced in tests to make writes fail. Default: `write(2)`.
  var writeCall: WriteCall = { write($0, $1, $2) }
  /// The call that fsyncs log files, replaced in tests to make it fail. Default: `fsync(2)`.
  var fsyncCall: @Sendable (Int32) -> Int32 = { fsync($0) }

  /// Creates a configuration in which every argument has the default described on its property.
  public init(
    flushInterval: Duration = .milliseconds(1000),
    maxMemberBytes: Int = 1 << 20,
    maxFileBytes: Int = 256 << 20,
    fsyncInterval: Duration = .milliseconds(1000),
    maxQueueBytes: Int = 16 << 20,
    compressionLevel: Int = 6,
    hostName: String = LogWriterConfiguration.systemHostName(),
    processID: Int32 = getpid(),
    clock: any WallClock = SystemWallClock(),
    logger: Logger = Logger(label: "clicktrail.writer")
  ) {
    self.flushInterval = flushInterval
    self.maxMemberBytes = maxMemberBytes
    self.maxFileBytes = maxFileBytes
    self.fsyncInterval = fsyncInterval
    self.maxQueueBytes = maxQueueBytes
    self.compressionLevel = compressionLevel
    self.hostName = hostName
    self.processID = processID
    self.clock = clock
    self.logger = logger
  }

  /// Returns the name from `gethostname(2)`, or an empty string when that fails.
  public static func systemHostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The time after the end of an hour at which its file is closed: twice the flush interval,
  /// but at least 10 s, so that events stamped just before the hour ended still reach it.
  public var closeGrace: Duration {
    max(flushInterval * 2, .seconds(10))
  }
}

extension Duration {
  /// The duration in whole milliseconds, rounded down.
  var wholeMilliseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
  }
}
