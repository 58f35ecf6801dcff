import ClicktrailLog
import Foundation

/// The range, time zone and tables of a report, validated before any log is read.
public struct ReportSettings: Sendable {
  /// The first and last day, inclusive, in `timeZone`; nil for everything read.
  public var from: LocalDate?
  public var to: LocalDate?
  public var timeZone: TimeZone
  /// The zone's name as the user gave it; Foundation names UTC `GMT`.
  public var timeZoneName: String
  /// Parameter combinations with a table each, such as `[["gender", "age"]]`.
  public var combinations: [[String]] = []
  /// Whether conversions count on the postback's day instead of the visit's day.
  public var conversionsOnPostbackDay = false

  public init(
    from: LocalDate? = nil, to: LocalDate? = nil, timeZone: TimeZone, timeZoneName: String? = nil
  ) {
    self.from = from
    self.to = to
    self.timeZone = timeZone
    self.timeZoneName = timeZoneName ?? timeZone.identifier
  }

  /// Returns whether `date` lies in the range; every date does without one.
  func contains(_ date: LocalDate) -> Bool {
    if let from, date < from { return false }
    if let to, to < date { return false }
    return true
  }
}

/// Device type, OS and browser of a user agent, as the devices table groups them.
public struct DeviceClass: Sendable, Hashable {
  /// `mobile`, `tablet`, `desktop`, `bot` or `other`.
  public var type: String
  public var os: String
  public var browser: String

  public init(type: String, os: String, browser: String) {
    self.type = type
    self.os = os
    self.browser = browser
  }

  /// Whether the report counts the agent as a bot rather than a visit.
  public var isBot: Bool { type == "bot" }
}

/// Classifies user agents; the report calls it once per distinct agent.
public protocol DeviceClassifier: Sendable {
  func classify(_ userAgent: String) -> DeviceClass
  /// Classifies distinct agents, possibly on several threads; results in input order.
  func classifyAll(_ userAgents: [String]) -> [DeviceClass]
}

extension DeviceClassifier {
  public func classifyAll(_ userAgents: [String]) -> [DeviceClass] {
    userAgents.map(classify)
  }
}

/// One table of the report: dimension columns, then every metric.
public struct ReportTable: Sendable {
  /// The CSV file's name without `.csv`, such as `campaigns` or `param-gender`.
  public var name: String
  /// A heading for the HTML report.
  public var title: String
  public var dimensions: [String]
  public var rows: [(keys: [String], counts: MetricCounts)]

  public init(
    name: String, title: String, dimensions: [String],
    rows: [(keys: [String], counts: MetricCounts)]
  ) {
    self.name = name
    self.title = title
    self.dimensions = dimensions
    self.rows = rows
  }
}

/// The report's inputs and what became of every line read: the accounting that balances.
public struct ReportAccounting: Sendable, Equatable {
  public var files = 0
  public var damagedFiles: [String] = []
  public var linesRead = 0
  public var events = 0
  /// Lines that were not events: headers and rejected, over-long or incomplete lines.
  public var linesNotEvents = 0
  public var problems = 0
  public var visitsInRange = 0
  public var visitsOutsideRange = 0
  public var duplicateVisits = 0
  public var clicksJoined = 0
  public var clicksWithoutVisit = 0
  public var previews = 0
  public var bots = 0
  public var postbacks = 0
  public var conversions = 0
  /// Conversions of visits outside the range or by bots, which no table counts. A click
  /// ID whose embedded time lies outside the range counts here even when its visit was not
  /// read, since the report reads clicks only from the day before `--from`.
  public var conversionsOutsideRange = 0
  public var statusUpdates = 0
  public var distinctUserAgents = 0
  /// Messages of the gateway's export sent outside the range, which no row counts.
  public var sendsOutsideRange = 0
  /// Whether the sends file has no dates while the report has a range, so that its sends and
  /// costs cover the whole file rather than the range.
  public var sendsCoverWholeFile = false
  /// The last UTC day of postback folders read, for the attribution window.
  public var postbacksReadThrough: String = ""
  public var postbackProblems: [String: Int] = [:]
}
