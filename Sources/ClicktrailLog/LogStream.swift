/// One of the two event streams that the service writes, each to its own files.
public enum LogStream: String, Sendable, CaseIterable, Codable {
  /// Visits, lander clicks and link previews.
  case clicks
  /// Conversion postbacks from affiliate networks, accepted or rejected.
  case postbacks

  /// The stream's code in the gzip extra subfield of every member.
  public var code: UInt8 {
    switch self {
    case .clicks: 1
    case .postbacks: 2
    }
  }

  /// Returns the stream with the given subfield code, or nil for an unknown code.
  public init?(code: UInt8) {
    guard let stream = LogStream.allCases.first(where: { $0.code == code }) else { return nil }
    self = stream
  }

  /// The column names of the header line, in the order the writer writes them.
  public var columns: [String] {
    switch self {
    case .clicks: ClickEvent.Column.allCases.map(\.rawValue)
    case .postbacks: PostbackEvent.Column.allCases.map(\.rawValue)
    }
  }

  /// The header line without its line end.
  public var headerLine: String { columns.joined(separator: "\t") }
}

/// Constants of log format version 1. `docs/log-format.md` is the contract they implement.
public enum LogFormat {
  /// The format version written in the gzip extra subfield of every member.
  public static let version: UInt8 = 1

  /// The longest line a reader accepts, in bytes, without the line end. The writer's field
  /// limits keep every line it writes well under this.
  public static let maxLineBytes = 65_536

  /// The file name suffix of every log file.
  public static let fileSuffix = ".tsv.gz"
}
