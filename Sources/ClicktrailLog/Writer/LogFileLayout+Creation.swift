import Foundation

/// A failed system call on a log file or folder.
public struct LogFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The call that failed, such as `open`, `write`, `fsync` or `mkdir`.
  public let operation: String
  /// The file or folder the call was made on.
  public let path: String
  /// The `errno` value the call set.
  public let code: Int32

  /// Creates an error for `operation` on `path` that failed with `code`.
  public init(operation: String, path: String, code: Int32) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  /// The system's text for `code`, such as `No space left on device`.
  public var message: String { String(cString: strerror(code)) }

  /// The error as `<operation> <path>: <message>`.
  public var description: String { "\(operation) \(path): \(message)" }
}

/// A log file that `LogFileLayout.createFile` created, open for writing.
public struct CreatedLogFile: Sendable {
  /// The open file descriptor, which the caller owns and must close.
  public let descriptor: Int32
  /// The file's path.
  public let path: String
  /// The sequence number that the file got.
  public let sequence: Int
}

extension LogFileLayout {
  /// The highest sequence number tried before `createFile` gives up with `EEXIST`.
  public static let maxSequence = 99_999

  /// Creates a new, empty log file for the given UTC hour and opens it for writing.
  ///
  /// Creates the day folder and its parents as needed, then tries sequence numbers from
  /// `firstSequence` upwards with `open(O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644)` until one
  /// is free, so that the file is never shared with another writer. After creating the file it
  /// fsyncs the day folder once, so that the new name survives a power loss.
  /// - Throws: `LogFileError` for the first call that failed.
  public static func createFile(
    root: String, stream: LogStream, hourIndex: Int64, host: String, processID: Int32,
    firstSequence: Int = 0
  ) throws(LogFileError) -> CreatedLogFile {
    let (date, hour) = dateAndHour(ofHourIndex: hourIndex)
    let folder = dayFolder(root: root, stream: stream, date: date)
    try makeFolders(folder)
    var sequence = firstSequence
    while true {
      let name = fileName(
        stream: stream, date: date, hour: hour, host: host, processID: processID,
        sequence: sequence)
      let path = folder + "/" + name
      let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
      if descriptor >= 0 {
        try syncFolder(folder)
        return CreatedLogFile(descriptor: descriptor, path: path, sequence: sequence)
      }
      let code = errno
      if code == EINTR { continue }
      guard code == EEXIST, sequence < maxSequence else {
        throw LogFileError(operation: "open", path: path, code: code)
      }
      sequence += 1
    }
  }

  /// Creates `path` and any missing parent folders with mode 0755, fsyncing the parent of each
  /// folder it creates.
  static func makeFolders(_ path: String) throws(LogFileError) {
    if mkdir(path, 0o755) == 0 {
      try syncFolder(parentFolder(of: path))
      return
    }
    let code = errno
    switch code {
    case EEXIST:
      return
    case ENOENT:
      let parent = parentFolder(of: path)
      guard parent != path, !parent.isEmpty else {
        throw LogFileError(operation: "mkdir", path: path, code: code)
      }
      try makeFolders(parent)
      guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
        throw LogFileError(operation: "mkdir", path: path, code: errno)
      }
      try syncFolder(parent)
    default:
      throw LogFileError(operation: "mkdir", path: path, code: code)
    }
  }

  /// Fsyncs the folder at `path`, so that the names created in it are durable.
  static func syncFolder(_ path: String) throws(LogFileError) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw LogFileError(operation: "open", path: path, code: errno)
    }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else {
      throw LogFileError(operation: "fsync", path: path, code: errno)
    }
  }

  private static func parentFolder(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    if slash == trimmed.startIndex { return "/" }
    return String(trimmed[..<slash])
  }
}
