import Glibc

/// Settings for `LogReader.read(paths:options:into:)`.
public struct LogReadOptions: Sendable {
  /// The number of threads that read files and chunks of members; at least 1.
  public var workers: Int
  /// The longest line accepted, in bytes, without its line end; longer lines are skipped.
  public var maxLineBytes: Int
  /// The compressed size of the runs of members handed to one worker, in bytes.
  public var chunkBytes: Int
  /// Called after each run of members or streamed file is read, from the reading threads,
  /// with the totals so far; nil for none.
  public var progress: (@Sendable (LogReadProgress) -> Void)?

  /// Creates options; `workers` defaults to the number of active processors.
  public init(
    workers: Int = LogReadOptions.activeProcessorCount, maxLineBytes: Int = LogFormat.maxLineBytes,
    chunkBytes: Int = 4 << 20
  ) {
    self.workers = max(1, workers)
    self.maxLineBytes = max(1, maxLineBytes)
    self.chunkBytes = max(1, chunkBytes)
  }
}

/// How far a read has come, for progress displays.
public struct LogReadProgress: Sendable, Equatable {
  /// The files to read.
  public var files: Int
  /// The bytes of all files, and of the runs and files read so far.
  public var totalBytes: Int
  public var bytesRead: Int
  /// The events decoded so far.
  public var events: Int
}

extension LogReadOptions {
  /// The number of processors online, at least 1.
  public static var activeProcessorCount: Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }
}

/// Something wrong with a file or one of its lines, phrased to follow `path:line: `.
public struct LogProblem: Sendable, Equatable, Codable {
  /// The kind of damage.
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// The file has 0 bytes.
    case emptyFile = "empty_file"
    /// The first line is not a header; the other lines are counted but not decoded.
    case missingHeader = "missing_header"
    /// The file ends inside a member; the complete lines before the cut are kept.
    case truncatedMember = "truncated_member"
    /// A member fails its checks; its lines are dropped.
    case corruptMember = "corrupt_member"
    /// Bytes before the first member header are not a gzip member (damage, junk or zeros);
    /// they are skipped.
    case leadingGarbage = "leading_garbage"
    /// A member has a format version this reader does not know; the rest of the file is not
    /// read.
    case unsupportedVersion = "unsupported_version"
    /// The stream named by a member's `CT` subfield, or by the file name, differs from the
    /// stream of the header line; reported once per file.
    case streamMismatch = "stream_mismatch"
    /// Events whose `ts` lies outside the UTC hour of the file name; they are still counted
    /// and kept. Reported once per file with the count and the first line.
    case misroutedEvents = "misrouted_events"
    /// Zero bytes follow the last member; nothing is lost.
    case trailingZeros = "trailing_zeros"
    /// Zero bytes lie between two members, where a crash left padding before the writer
    /// appended again; nothing decodable is lost.
    case zeroPadding = "zero_padding"
    /// Bytes that are not gzip data follow the last member.
    case trailingGarbage = "trailing_garbage"
    /// A line has the wrong column count or a value that does not parse.
    case rejectedLine = "rejected_line"
    /// A line is longer than `LogReadOptions.maxLineBytes`; it is skipped.
    case overlongLine = "overlong_line"
    /// A line contains bytes that are not UTF-8; it is kept with U+FFFD in their place.
    case invalidUTF8 = "invalid_utf8"
    /// The file cannot be opened or read.
    case unreadableFile = "unreadable_file"
    /// The last line of a file or member has no line feed; it is not decoded.
    case incompleteLine = "incomplete_line"
  }

  public var kind: Kind
  /// The 1-based line number among the lines read (the header is line 1), for line problems.
  public var line: Int?
  /// The first compressed byte concerned, for member and trailing problems.
  public var startOffset: Int?
  /// The compressed byte after the last one concerned (exclusive).
  public var endOffset: Int?
  /// The 0-based index of the member concerned.
  public var member: Int?
  /// The explanation, phrased to follow `path:line: `.
  public var message: String

  /// Creates a problem.
  public init(
    kind: Kind, line: Int? = nil, startOffset: Int? = nil, endOffset: Int? = nil,
    member: Int? = nil, message: String
  ) {
    self.kind = kind
    self.line = line
    self.startOffset = startOffset
    self.endOffset = endOffset
    self.member = member
    self.message = message
  }
}

/// The counts and problems of one file.
public struct LogFileSummary: Sendable, Equatable {
  /// The path as given.
  public var path: String
  /// The stream, from the header line, or from the first member's `CT` subfield when the
  /// header was lost, or nil when neither is known.
  public var stream: LogStream?
  /// Whether the file is gzip data (false for plain text).
  public var compressed: Bool
  /// The format version from the first member's `CT` subfield.
  public var formatVersion: Int?
  /// The number of gzip members found, damaged ones included; 0 for plain text.
  public var members: Int
  /// The number of lines read, header, rejected and incomplete lines included.
  public var lines: Int
  /// The number of lines decoded into records.
  public var events: Int
  /// The records by type: visit, click and preview, or accepted and rejected.
  public var eventsByType: [String: Int]
  /// The first problems in file order, at most `maxListedProblems`.
  public var problems: [LogProblem]
  /// The number of problems found beyond those listed in `problems`.
  public var omittedProblems: Int
  /// The file's size in bytes.
  public var bytes: Int

  /// The largest number of problems listed per file; the rest are only counted, so that
  /// memory stays bounded however damaged a file is.
  public static let maxListedProblems = 1_000

  /// The number of problems found: those listed and those omitted.
  public var problemCount: Int { problems.count + omittedProblems }

  /// Creates an empty summary for `path`.
  public init(path: String) {
    self.path = path
    self.stream = nil
    self.compressed = false
    self.formatVersion = nil
    self.members = 0
    self.lines = 0
    self.events = 0
    self.eventsByType = [:]
    self.problems = []
    self.omittedProblems = 0
    self.bytes = 0
  }
}

/// The outcome of `LogReader.read(paths:options:into:)`.
public struct LogReadResult<Sink: LogRecordSink>: Sendable {
  /// Every record of every file, merged in file order.
  public var sink: Sink
  /// One summary per path, in the order of the paths.
  public var files: [LogFileSummary]
}
