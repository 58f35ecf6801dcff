import ClicktrailLog

/// A visit as the report keeps it: 24 bytes, its texts as numbers into the sink's tables.
struct VisitEntry: Sendable, Equatable {
  var timestamp: Int64
  /// The stable hash of the visitor key, which unique visits count.
  var visitorHash: UInt64
  /// The campaign, source, lander, offer and parameters, in `ReportSink.profiles`.
  var profile: UInt32
  /// The user agent, in `ReportSink.texts`.
  var userAgent: UInt32
}

/// A visit whose time is its click ID's: a `VisitEntry` without the time, 16 bytes.
struct PackedVisit: Sendable, Equatable {
  var visitorHash: UInt64
  var profile: UInt32
  var userAgent: UInt32

  /// The value of a free slot, or of a slot whose visit gave way to an earlier one kept in
  /// `ReportSink.otherVisits`; no profile has this number.
  static let moved = PackedVisit(visitorHash: 0, profile: .max, userAgent: .max)

  init(visitorHash: UInt64, profile: UInt32, userAgent: UInt32) {
    self.visitorHash = visitorHash
    self.profile = profile
    self.userAgent = userAgent
  }

  init(_ visit: VisitEntry) {
    self.init(visitorHash: visit.visitorHash, profile: visit.profile, userAgent: visit.userAgent)
  }

  /// Returns the visit with its time taken from `key`.
  func entry(_ key: ClickKey) -> VisitEntry {
    VisitEntry(
      timestamp: key.timestamp, visitorHash: visitorHash, profile: profile, userAgent: userAgent)
  }
}

/// The lander clicks of one click ID: how many, and the offer of the latest.
struct ClickEntry: Sendable, Equatable {
  var lastTimestamp: Int64
  var count: UInt32
  /// The offer of the latest click, in `ReportSink.texts`.
  var lastOffer: UInt32

  static let none = ClickEntry(lastTimestamp: .min, count: 0, lastOffer: 0)

  /// Adds the clicks of `other`, which were read after these; the later click's offer wins,
  /// and on equal times the one read later.
  mutating func add(_ other: ClickEntry) {
    count += other.count
    if other.lastTimestamp >= lastTimestamp {
      lastTimestamp = other.lastTimestamp
      lastOffer = other.lastOffer
    }
  }
}

/// The texts of a visit that the tables group by, as numbers into `ReportSink.texts`.
struct Profile: Hashable, Sendable {
  var campaign: UInt32
  var source: UInt32
  var lander: UInt32
  var offer: UInt32
  var params: UInt32

  /// Returns the profile with its text numbers mapped through `map`.
  func renumbered(_ map: [UInt32]) -> Profile {
    Profile(
      campaign: map[Int(campaign)], source: map[Int(source)], lander: map[Int(lander)],
      offer: map[Int(offer)], params: map[Int(params)])
  }
}

/// Distinct values, each numbered in the order first seen.
struct InternTable<Value: Hashable & Sendable>: Sendable {
  private(set) var values: [Value] = []
  private var numbers: [Value: UInt32] = [:]

  /// Returns the number of `value`, adding it when it is new.
  mutating func intern(_ value: Value) -> UInt32 {
    if let number = numbers[value] { return number }
    let number = UInt32(values.count)
    values.append(value)
    numbers[value] = number
    return number
  }

  subscript(number: UInt32) -> Value { values[Int(number)] }
}

typealias TextTable = InternTable<String>
typealias ProfileTable = InternTable<Profile>

/// A postback as the report keeps it: its texts as numbers into the sink's tables.
struct PostbackEntry: Sendable, Equatable {
  var timestamp: Int64
  /// The payout in millionths, or `noPayout`.
  var payoutMicros: Int64
  var clickID: ClickReference
  var transactionID: UInt32
  var rejectReason: UInt32
  var status: PostbackEvent.Status?
  var accepted: Bool

  static let noPayout = Int64.min

  var payout: Money? { payoutMicros == Self.noPayout ? nil : Money(micros: payoutMicros) }
}
