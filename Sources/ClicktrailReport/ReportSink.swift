import ClicktrailLog

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

/// A lander click as the report keeps it.
struct ClickRecord: Sendable, Equatable {
  var clickID: String
  var timestamp: Int64
  var offer: String
}

/// A link preview as the report keeps it, to count previews apart from visits.
struct PreviewRecord: Sendable, Equatable {
  var timestamp: Int64
  var campaign: String
}

/// Collects the events of the files a report reads, one sink per run of members; the reader
/// merges the sinks in file order.
///
/// Visits are kept by click ID: the report's memory grows with the distinct click IDs read.
/// Clicks, previews and postbacks are kept as lists, as they are fewer than visits.
public struct ReportSink: LogRecordSink {
  var visits: [String: VisitRecord] = [:]
  /// Visits whose click ID was already taken by an earlier visit; the first one is kept.
  var duplicateVisits = 0
  var clicks: [ClickRecord] = []
  var previews: [PreviewRecord] = []
  var postbacks: [PostbackEvent] = []

  public init() {}

  public mutating func consume(_ record: LogRecord) {
    switch record {
    case .click(let event):
      switch event.kind {
      case .visit:
        let visitorKey = event.visitor.isEmpty ? "\(event.ip)|\(event.userAgent)" : event.visitor
        let visit = VisitRecord(
          timestamp: event.timestamp, campaign: event.campaign, source: event.source,
          lander: event.lander, offer: event.offer, params: event.params,
          visitorKey: visitorKey, userAgent: event.userAgent)
        insert(visit, clickID: event.clickID)
      case .click:
        clicks.append(
          ClickRecord(clickID: event.clickID, timestamp: event.timestamp, offer: event.offer))
      case .preview:
        previews.append(PreviewRecord(timestamp: event.timestamp, campaign: event.campaign))
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
    clicks += other.clicks
    previews += other.previews
    postbacks += other.postbacks
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
