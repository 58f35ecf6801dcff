import ClicktrailLog
import ClicktrailSupport

/// Collects the events of the files a report reads, one sink per run of members; the reader
/// merges the sinks in file order.
///
/// Visits and clicks are kept by click ID in fixed-size entries whose texts (campaign,
/// lander, parameters, user agent...) are numbers into one table of distinct texts, so the
/// memory grows with the distinct click IDs read and the distinct texts, not with the events.
/// Previews are counts per campaign and UTC quarter hour. Postbacks are kept as a list: a
/// network sends few per click ID.
public struct ReportSink: LogRecordSink {
  var texts = TextTable()
  var profiles = ProfileTable()
  /// Visits by click ID; the IDs that the service makes (20 characters) are packed into 16
  /// bytes, and any other well-formed ID is kept as text.
  var visits: [ClickKey: VisitEntry] = [:]
  var otherVisits: [String: VisitEntry] = [:]
  /// Visits whose click ID was already taken by an earlier visit; the first one is kept.
  var duplicateVisits = 0
  var clicks: [ClickKey: ClickEntry] = [:]
  var otherClicks: [String: ClickEntry] = [:]
  /// Previews by campaign and UTC quarter hour (Unix milliseconds / 900,000), fine enough
  /// for local days in any time zone.
  var previews: [PreviewBucket: Int] = [:]
  var postbacks: [PostbackEvent] = []

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
        let profile = profiles.intern(
          Profile(
            campaign: texts.intern(event.campaign), source: texts.intern(event.source),
            lander: texts.intern(event.lander), offer: texts.intern(event.offer),
            params: texts.intern(event.params)))
        let visit = VisitEntry(
          timestamp: event.timestamp, visitorHash: Self.visitorHash(event), profile: profile,
          userAgent: texts.intern(event.userAgent))
        insert(visit, clickID: event.clickID)
      case .click:
        let click = ClickEntry(
          lastTimestamp: event.timestamp, count: 1, lastOffer: texts.intern(event.offer))
        add(click, clickID: event.clickID)
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
    let textMap = other.texts.values.map { texts.intern($0) }
    let profileMap = other.profiles.values.map { profile in
      profiles.intern(profile.renumbered(textMap))
    }
    func renumbered(_ visit: VisitEntry) -> VisitEntry {
      var visit = visit
      visit.profile = profileMap[Int(visit.profile)]
      visit.userAgent = textMap[Int(visit.userAgent)]
      return visit
    }
    visits.reserveCapacity(visits.count + other.visits.count)
    for (key, visit) in other.visits { insert(renumbered(visit), key: key) }
    for (clickID, visit) in other.otherVisits { insert(renumbered(visit), text: clickID) }
    duplicateVisits += other.duplicateVisits
    for (key, click) in other.clicks {
      var click = click
      click.lastOffer = textMap[Int(click.lastOffer)]
      clicks[key, default: .none].add(click)
    }
    for (clickID, click) in other.otherClicks {
      var click = click
      click.lastOffer = textMap[Int(click.lastOffer)]
      otherClicks[clickID, default: .none].add(click)
    }
    previews.merge(other.previews, uniquingKeysWith: +)
    postbacks += other.postbacks
  }

  // MARK: - Lookups

  /// Returns the visit kept for `clickID`, or nil when none was read.
  func visit(clickID: String) -> VisitEntry? {
    if let key = ClickKey(clickID) { return visits[key] }
    return otherVisits[clickID]
  }

  /// The number of visits kept, one per click ID.
  var visitCount: Int { visits.count + otherVisits.count }

  // MARK: - Insertion

  private mutating func insert(_ visit: VisitEntry, clickID: String) {
    if let key = ClickKey(clickID) {
      insert(visit, key: key)
    } else {
      insert(visit, text: clickID)
    }
  }

  private mutating func insert(_ visit: VisitEntry, key: ClickKey) {
    if let existing = visits[key] {
      duplicateVisits += 1
      if visit.timestamp < existing.timestamp { visits[key] = visit }
    } else {
      visits[key] = visit
    }
  }

  private mutating func insert(_ visit: VisitEntry, text: String) {
    if let existing = otherVisits[text] {
      duplicateVisits += 1
      if visit.timestamp < existing.timestamp { otherVisits[text] = visit }
    } else {
      otherVisits[text] = visit
    }
  }

  private mutating func add(_ click: ClickEntry, clickID: String) {
    if let key = ClickKey(clickID) {
      clicks[key, default: .none].add(click)
    } else {
      otherClicks[clickID, default: .none].add(click)
    }
  }

  /// Hashes the visitor key: the `visitor` column, or the IP address and user agent when the
  /// service knew no visitor.
  static func visitorHash(_ event: ClickEvent) -> UInt64 {
    var hash = StableHash()
    if event.visitor.isEmpty {
      hash.add(event.ip)
      hash.add(event.userAgent)
    } else {
      hash.add(event.visitor)
    }
    return hash.value
  }
}

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

/// A click ID of the service's form, 20 characters of base64url, packed 6 bits a character
/// into two 60-bit halves.
struct ClickKey: Hashable, Sendable {
  var high: UInt64
  var low: UInt64

  /// Packs `clickID`; nil unless it has 20 characters from `A-Z a-z 0-9 - _`.
  init?(_ clickID: String) {
    var high: UInt64 = 0
    var low: UInt64 = 0
    var count = 0
    for byte in clickID.utf8 {
      guard count < 20, let digit = Self.digit(byte) else { return nil }
      if count < 10 {
        high = high << 6 | digit
      } else {
        low = low << 6 | digit
      }
      count += 1
    }
    guard count == 20 else { return nil }
    self.high = high
    self.low = low
  }

  /// The value of a base64url character.
  private static func digit(_ byte: UInt8) -> UInt64? {
    switch byte {
    case 0x41...0x5A: UInt64(byte - 0x41)
    case 0x61...0x7A: UInt64(byte - 0x61) + 26
    case 0x30...0x39: UInt64(byte - 0x30) + 52
    case 0x2D: 62
    case 0x5F: 63
    default: nil
    }
  }
}
