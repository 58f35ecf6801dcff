import ClicktrailLog

/// A conversion after the postback rules: one per click ID and transaction ID.
struct Conversion: Sendable, Equatable {
  var clickID: ClickReference
  /// The transaction ID, in the sink's texts.
  var transactionID: UInt32
  var status: PostbackEvent.Status
  /// The payout of the last postback that carried one, or nil (the offer's default applies).
  var payout: Money?
  /// The time of the first postback, which the attribution window is measured to.
  var firstTimestamp: Int64
  /// The time of the last postback, which `--conversion-day postback` buckets by.
  var lastTimestamp: Int64
}

/// A postback that did not become a conversion, or repeated one, for postback-problems.csv.
public struct PostbackProblem: Sendable, Equatable {
  /// The kinds of problem, as the CSV names them.
  public enum Kind: String, Sendable, CaseIterable {
    /// The service rejected the postback (bad secret, malformed value...).
    case rejected
    /// No visit in the logs read has this click ID.
    case orphan
    /// The first postback came after the campaign's attribution window.
    case expired
    /// The same click ID, transaction ID and status as the postback before it.
    case duplicate
  }

  public var kind: Kind
  public var timestamp: Int64
  public var clickID: String
  public var transactionID: String
  public var status: String
  public var payout: String
  /// The reject reason, or the window for an expired postback.
  public var detail: String
}

/// Applies the postback contract to accepted postbacks.
///
/// Postbacks with the same click ID and transaction ID make one conversion, the later status
/// replacing the earlier one (pending to approved or declined). A new transaction ID on the
/// same click ID is another conversion. A postback without a transaction ID groups with the
/// other postbacks of its click ID that have none. A postback that repeats the status its
/// group already has is a duplicate and changes nothing.
enum Attribution {
  struct Result {
    var conversions: [Conversion] = []
    var problems: [PostbackProblem] = []
    /// Postbacks that changed the status of an earlier one.
    var statusUpdates = 0
  }

  /// Groups the sink's postbacks (in log order) into conversions, and lists rejected ones
  /// and duplicates as problems.
  static func conversions(from sink: ReportSink) -> Result {
    struct Group: Hashable {
      var clickID: ClickReference
      var transactionID: UInt32
    }
    var result = Result()
    var order: [Group] = []
    var groups: [Group: Conversion] = [:]
    // Most postbacks start a conversion of their own, so this spares the dictionary's growth.
    order.reserveCapacity(sink.postbacks.count)
    groups.reserveCapacity(sink.postbacks.count)
    let sorted = sink.postbacks.indices.sorted {
      (sink.postbacks[$0].timestamp, $0) < (sink.postbacks[$1].timestamp, $1)
    }
    for index in sorted {
      let postback = sink.postbacks[index]
      guard postback.accepted, let status = postback.status else {
        result.problems.append(
          problem(.rejected, postback, sink: sink, detail: sink.texts[postback.rejectReason]))
        continue
      }
      let key = Group(clickID: postback.clickID, transactionID: postback.transactionID)
      guard var conversion = groups[key] else {
        order.append(key)
        groups[key] = Conversion(
          clickID: postback.clickID, transactionID: postback.transactionID, status: status,
          payout: postback.payout, firstTimestamp: postback.timestamp,
          lastTimestamp: postback.timestamp)
        continue
      }
      if conversion.status == status {
        result.problems.append(problem(.duplicate, postback, sink: sink, detail: ""))
        continue
      }
      result.statusUpdates += 1
      conversion.status = status
      conversion.lastTimestamp = postback.timestamp
      if let payout = postback.payout { conversion.payout = payout }
      groups[key] = conversion
    }
    result.conversions = order.map { groups[$0]! }
    return result
  }

  static func problem(
    _ kind: PostbackProblem.Kind, _ postback: PostbackEntry, sink: ReportSink, detail: String
  ) -> PostbackProblem {
    PostbackProblem(
      kind: kind, timestamp: postback.timestamp, clickID: sink.text(of: postback.clickID),
      transactionID: sink.texts[postback.transactionID],
      status: postback.status?.rawValue ?? "", payout: postback.payout?.description ?? "",
      detail: detail)
  }
}
