/// The exit statuses of `clicktrail`, chosen so that cron and scripts can act on them.
public enum ExitStatus: Int32, Sendable {
  /// The command did its work and found nothing wrong.
  case success = 0
  /// The command could not do its work: a missing file, an unwritable folder, an I/O error.
  case failure = 1
  /// The command completed but found or skipped damaged input, which it reported.
  case damagedInput = 2
  /// The command line is invalid (the BSD `EX_USAGE` convention).
  case usage = 64
}

/// An invalid command line: an unknown option, a missing or malformed value.
public struct UsageError: Error, Equatable, Sendable {
  /// What is wrong, phrased to follow `error: `.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }
}

/// A failure that stops a command: the message names the file or value and the fix.
public struct CommandFailure: Error, Equatable, Sendable {
  /// What failed, phrased to follow `error: `.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }
}
