/// Receives the records of a read. The reader makes one sink per run of members, feeds it the
/// run's records in file order, and merges the sinks in file order, so the result does not
/// depend on thread timing as long as `merge` is associative.
public protocol LogRecordSink: Sendable {
  /// Creates an empty sink.
  init()
  /// Takes one record.
  mutating func consume(_ record: LogRecord)
  /// Takes one line that passed its checks, read in place. The default makes its record and
  /// calls `consume(_:)`; a sink that needs only some fields reads them from `line` instead.
  mutating func consume(line: LogLine)
  /// Adds the records of `other`, which were read after this sink's own.
  mutating func merge(_ other: Self)
}

extension LogRecordSink {
  public mutating func consume(line: LogLine) {
    consume(line.record())
  }
}

/// Counts records by stream and type.
public struct CountingSink: LogRecordSink, Equatable {
  /// The number of records.
  public private(set) var records = 0
  /// The number of records by type: visit, click, preview, accepted, rejected.
  public private(set) var byType: [String: Int] = [:]

  public init() {}

  /// Counts `record`.
  public mutating func consume(_ record: LogRecord) {
    records += 1
    byType[record.typeName, default: 0] += 1
  }

  /// Adds the counts of `other`.
  public mutating func merge(_ other: CountingSink) {
    records += other.records
    byType.merge(other.byType, uniquingKeysWith: +)
  }
}

/// Keeps every record in file order; for tests and small files.
public struct CollectingSink: LogRecordSink, Equatable {
  /// The records in the order read.
  public private(set) var records: [LogRecord] = []

  public init() {}

  /// Appends `record`.
  public mutating func consume(_ record: LogRecord) { records.append(record) }

  /// Appends the records of `other`.
  public mutating func merge(_ other: CollectingSink) { records += other.records }
}

extension LogRecord {
  /// The record's type as counted in `LogFileSummary.eventsByType`.
  public var typeName: String {
    switch self {
    case .click(let event): event.kind.rawValue
    case .postback(let event): event.accepted ? "accepted" : "rejected"
    }
  }
}

extension LogStream {
  /// The type names of the stream's records, as counted in `LogFileSummary.eventsByType`.
  public var typeNames: [String] {
    switch self {
    case .clicks: ClickEvent.Kind.allCases.map(\.rawValue)
    case .postbacks: ["accepted", "rejected"]
    }
  }
}
