import ClicktrailLog
import ClicktrailSupport

/// A visit as the report keeps it: what the join and the dimensions need, nothing more.
struct VisitRecord: Sendable, Equatable {
  var timestamp: Int64
  var campaign: String
  var source: String
  var lander: String
  var offer: String
  var params: String
  /// The `visitor` column, or the IP address and user agent when the service knew no visitor.
  var visitorKey: String
  var userAgent: String
}

/// The lander clicks of one click ID: how many, and the offer of the latest.
struct ClickSummary: Sendable, Equatable {
  var count: Int
  var lastTimestamp: Int64
  var lastOffer: String

  mutating func add(_ other: ClickSummary) {
    count += other.count
    if other.lastTimestamp >= lastTimestamp {
      lastTimestamp = other.lastTimestamp
      lastOffer = other.lastOffer
    }
  }
}

/// Collects the events of the files a report reads, one sink per run of members; the reader
/// merges the sinks in file order.
///
/// Visits and clicks are kept by click ID and previews as counts per campaign and UTC
/// quarter hour, so the report's memory grows with the distinct click IDs read, not with
/// the events. Postbacks are kept as a list; a network sends few per click ID.
public struct ReportSink: LogRecordSink {
  var visits: [String: VisitRecord] = [:]
  /// Visits whose click ID was already taken by an earlier visit; the first one is kept.
  var duplicateVisits = 0
  var clicks: [String: ClickSummary] = [:]
  /// Previews by campaign and UTC quarter hour (Unix milliseconds / 900,000), fine enough
  /// for local days in any time zone.
  var previews: [PreviewBucket: Int] = [:]
  var postbacks: [PostbackEvent] = []
  /// One copy of each repeated text (user agents, parameters, campaigns), so that visits
  /// share their storage.
  private var strings: Set<String> = []

  struct PreviewBucket: Hashable, Sendable {
    var campaign: String
    var quarterHour: Int64
  }

  public init() {}

  public mutating func consume(_ record: LogRecord) {
    switch record {
    case .click(let event):
      switch event.kind {
      case .visit:
        let visitorKey = event.visitor.isEmpty ? "\(event.ip)|\(event.userAgent)" : event.visitor
        let visit = VisitRecord(
          timestamp: event.timestamp, campaign: intern(event.campaign),
          source: intern(event.source), lander: intern(event.lander), offer: intern(event.offer),
          params: intern(event.params), visitorKey: visitorKey,
          userAgent: intern(event.userAgent))
        insert(visit, clickID: event.clickID)
      case .click:
        let click = ClickSummary(count: 1, lastTimestamp: event.timestamp, lastOffer: event.offer)
        clicks[event.clickID, default: ClickSummary(count: 0, lastTimestamp: .min, lastOffer: "")]
          .add(click)
      case .preview:
        let bucket = PreviewBucket(
          campaign: event.campaign, quarterHour: event.timestamp.floorDivided(by: 900_000))
        previews[bucket, default: 0] += 1
      }
    case .postback(let event):
      postbacks.append(event)
    }
  }

  public mutating func merge(_ other: ReportSink) {
    for (clickID, visit) in other.visits {
      insert(visit, clickID: clickID)
    }
    duplicateVisits += other.duplicateVisits
    for (clickID, summary) in other.clicks {
      clicks[clickID, default: ClickSummary(count: 0, lastTimestamp: .min, lastOffer: "")]
        .add(summary)
    }
    previews.merge(other.previews, uniquingKeysWith: +)
    postbacks += other.postbacks
  }

  private mutating func intern(_ text: String) -> String {
    if let existing = strings.firstIndex(of: text) { return strings[existing] }
    strings.insert(text)
    return text
  }

  private mutating func insert(_ visit: VisitRecord, clickID: String) {
    if let existing = visits[clickID] {
      duplicateVisits += 1
      if visit.timestamp < existing.timestamp { visits[clickID] = visit }
    } else {
      visits[clickID] = visit
    }
  }
}
