import Foundation

/// A small leveled logger that writes one line per message, with the values as
/// `key=value` metadata after a constant message.
///
/// Levels follow the seven that server-side Swift uses, from `trace` to `critical`.
public struct Logger: Sendable {
  /// The severity of a message, in increasing order.
  public enum Level: Int, Sendable, Comparable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The lowercase name written in each line and accepted by `init?(name:)`.
    public var name: String {
      switch self {
      case .trace: "trace"
      case .debug: "debug"
      case .info: "info"
      case .notice: "notice"
      case .warning: "warning"
      case .error: "error"
      case .critical: "critical"
      }
    }

    /// Parses a level name such as `info`; returns nil for an unknown name.
    public init?(name: String) {
      guard let level = Level.allCases.first(where: { $0.name == name }) else { return nil }
      self = level
    }
  }

  /// The component that emits the messages, such as `clicktrail.writer`.
  public let label: String
  /// The lowest level that is written.
  public let level: Level
  private let output: LogOutput
  private let clock: WallClock

  /// Creates a logger.
  /// - Parameters:
  ///   - label: The component name written in every line.
  ///   - level: Messages below this level are discarded.
  ///   - output: Where lines go; standard error by default.
  ///   - clock: The time source for each line's timestamp.
  public init(
    label: String, level: Level = .info, output: LogOutput = StandardErrorLogOutput(),
    clock: WallClock = SystemWallClock()
  ) {
    self.label = label
    self.level = level
    self.output = output
    self.clock = clock
  }

  /// Returns a logger with the same output and level under another label.
  public func withLabel(_ label: String) -> Logger {
    Logger(label: label, level: level, output: output, clock: clock)
  }

  /// Writes `message` with `metadata` when `level` is at or above the logger's level.
  public func log(_ level: Level, _ message: String, _ metadata: [String: String] = [:]) {
    guard level >= self.level else { return }
    var line = "\(Self.formatTimestamp(clock.nowMilliseconds())) \(level.name) \(label): \(message)"
    for key in metadata.keys.sorted() {
      line += " \(key)=\(Self.quoteIfNeeded(metadata[key]!))"
    }
    output.write(line: line)
  }

  public func trace(_ message: String, _ metadata: [String: String] = [:]) {
    log(.trace, message, metadata)
  }
  public func debug(_ message: String, _ metadata: [String: String] = [:]) {
    log(.debug, message, metadata)
  }
  public func info(_ message: String, _ metadata: [String: String] = [:]) {
    log(.info, message, metadata)
  }
  public func notice(_ message: String, _ metadata: [String: String] = [:]) {
    log(.notice, message, metadata)
  }
  public func warning(_ message: String, _ metadata: [String: String] = [:]) {
    log(.warning, message, metadata)
  }
  public func error(_ message: String, _ metadata: [String: String] = [:]) {
    log(.error, message, metadata)
  }
  public func critical(_ message: String, _ metadata: [String: String] = [:]) {
    log(.critical, message, metadata)
  }

  private static func quoteIfNeeded(_ value: String) -> String {
    let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0.isNewline }
    guard needsQuotes else { return value }
    let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
      .replacingOccurrences(of: "\r", with: "\\r")
    return "\"\(escaped)\""
  }

  /// Formats milliseconds since the epoch as ISO 8601 UTC with milliseconds.
  public static func formatTimestamp(_ milliseconds: Int64) -> String {
    let seconds = milliseconds.floorDivided(by: 1000)
    let civil = CivilTime(secondsSinceEpoch: seconds)
    let millis = milliseconds - seconds * 1000
    return civil.isoString + "." + String(millis).leftPadded(to: 3) + "Z"
  }
}

/// A destination for log lines.
public protocol LogOutput: Sendable {
  /// Writes one complete line; the output adds the line end.
  func write(line: String)
}

/// Writes log lines to standard error, one `write(2)` per line so that threads do not interleave.
public struct StandardErrorLogOutput: LogOutput {
  public init() {}

  public func write(line: String) {
    var bytes = Array(line.utf8)
    bytes.append(0x0A)
    bytes.withUnsafeBytes { _ = Foundation.write(2, $0.baseAddress, $0.count) }
  }
}

/// Keeps log lines in memory so that tests can inspect them.
public final class CapturingLogOutput: LogOutput {
  private let stored = LockedValue<[String]>([])

  public init() {}

  public func write(line: String) {
    stored.withLock { $0.append(line) }
  }

  /// The lines written so far, oldest first.
  public var lines: [String] { stored.withLock { $0 } }
}
