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
  /// Visits by click ID. The service's click IDs (20 characters) start with the visit's
  /// time, so a visit logged at that time is packed into 32 bytes with its ID; any other
  /// visit is kept whole with its ID as text.
  var visits = ClickTable(placeholder: PackedVisit.moved)
  var otherVisits: [String: VisitEntry] = [:]
  /// Visits whose click ID was already taken by an earlier visit; the first one is kept.
  var duplicateVisits = 0
  var clicks = ClickTable(placeholder: ClickEntry.none)
  var otherClicks: [String: ClickEntry] = [:]
  /// Previews by campaign and UTC quarter hour (Unix milliseconds / 900,000), fine enough
  /// for local days in any time zone.
  var previews: [PreviewBucket: Int] = [:]
  /// Postbacks in file order, 64 bytes each with their texts as numbers.
  var postbacks: [PostbackEntry] = []
  /// The escaped bytes of texts as lines hold them, with the profile or text each stands
  /// for, so that a line's texts are numbered without making strings. They serve only this
  /// sink's lines and are not merged.
  private var profileBytes = ByteTable()
  private var profileOfBytes: [UInt32] = []
  private var textBytes = ByteTable()
  private var textOfBytes: [UInt32] = []

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
      postbacks.append(
        PostbackEntry(
          timestamp: event.timestamp, payoutMicros: event.payout?.micros ?? PostbackEntry.noPayout,
          clickID: reference(event.clickID), transactionID: texts.intern(event.transactionID),
          rejectReason: texts.intern(event.rejectReason), status: event.status,
          accepted: event.accepted))
    }
  }

  public mutating func consume(line: LogLine) {
    typealias Column = ClickEvent.Column
    guard let kind = line.kind, !line.hasInvalidUTF8,
      let profileSpan = line.escaped(
        from: Column.campaign.position, through: Column.params.position)
    else {
      // Postbacks are few, and other lines keep their texts exact this way.
      consume(line.record())
      return
    }
    let clickID = line.escaped(Column.clickID.position)
    switch kind {
    case .visit:
      let visit = VisitEntry(
        timestamp: line.timestamp, visitorHash: Self.visitorHash(line),
        profile: profileNumber(profileSpan, line), userAgent: textNumber(line, Column.userAgent))
      if let key = ClickKey(bytes: clickID) {
        insert(visit, key: key)
      } else {
        insert(visit, text: line.text(Column.clickID.position))
      }
    case .click:
      let click = ClickEntry(
        lastTimestamp: line.timestamp, count: 1, lastOffer: textNumber(line, Column.offer))
      if let key = ClickKey(bytes: clickID) {
        clicks.modify(key, initial: .none) { kept, _ in kept.add(click) }
      } else {
        otherClicks[line.text(Column.clickID.position), default: .none].add(click)
      }
    case .preview:
      consume(line.record())
    }
  }

  private mutating func profileNumber(_ span: UnsafeBufferPointer<UInt8>, _ line: LogLine)
    -> UInt32
  {
    let (number, isNew) = profileBytes.number(of: span)
    if isNew {
      typealias Column = ClickEvent.Column
      let profile = Profile(
        campaign: texts.intern(line.text(Column.campaign.position)),
        source: texts.intern(line.text(Column.source.position)),
        lander: texts.intern(line.text(Column.lander.position)),
        offer: texts.intern(line.text(Column.offer.position)),
        params: texts.intern(line.text(Column.params.position)))
      profileOfBytes.append(profiles.intern(profile))
    }
    return profileOfBytes[Int(number)]
  }

  private mutating func textNumber(_ line: LogLine, _ column: ClickEvent.Column) -> UInt32 {
    let (number, isNew) = textBytes.number(of: line.escaped(column.position))
    if isNew { textOfBytes.append(texts.intern(line.text(column.position))) }
    return textOfBytes[Int(number)]
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
    // Each entry lands in a random slot of a table far larger than the cache, so the slot
    // of the entry a few places ahead is loaded while this one is added.
    let distance = ClickTable<PackedVisit>.prefetchDistance
    visits.reserveCapacity(other.visits.count)
    var visitEntries: [(key: ClickKey, visit: PackedVisit)] = []
    visitEntries.reserveCapacity(other.visits.count)
    other.visits.forEachEntry { key, packed in
      if packed != .moved { visitEntries.append((key, packed)) }
    }
    for (index, entry) in visitEntries.enumerated() {
      if index + distance < visitEntries.count {
        visits.prefetch(visitEntries[index + distance].key)
      }
      insert(renumbered(entry.visit.entry(entry.key)), key: entry.key)
    }
    for (clickID, visit) in other.otherVisits { insert(renumbered(visit), text: clickID) }
    duplicateVisits += other.duplicateVisits
    clicks.reserveCapacity(other.clicks.count)
    var clickEntries: [(key: ClickKey, click: ClickEntry)] = []
    clickEntries.reserveCapacity(other.clicks.count)
    other.clicks.forEachEntry { clickEntries.append(($0, $1)) }
    for (index, entry) in clickEntries.enumerated() {
      if index + distance < clickEntries.count {
        clicks.prefetch(clickEntries[index + distance].key)
      }
      var click = entry.click
      click.lastOffer = textMap[Int(click.lastOffer)]
      clicks.modify(entry.key, initial: .none) { kept, _ in kept.add(click) }
    }
    for (clickID, click) in other.otherClicks {
      var click = click
      click.lastOffer = textMap[Int(click.lastOffer)]
      otherClicks[clickID, default: .none].add(click)
    }
    previews.merge(other.previews, uniquingKeysWith: +)
    postbacks.reserveCapacity(postbacks.count + other.postbacks.count)
    for postback in other.postbacks {
      var postback = postback
      postback.transactionID = textMap[Int(postback.transactionID)]
      postback.rejectReason = textMap[Int(postback.rejectReason)]
      if postback.clickID.key == .vacant {
        postback.clickID.text = textMap[Int(postback.clickID.text)]
      }
      postbacks.append(postback)
    }
  }

  // MARK: - Lookups

  /// Returns the reference of `clickID`: its packed form, or its number among the texts.
  mutating func reference(_ clickID: String) -> ClickReference {
    if let key = ClickKey(clickID) { return ClickReference(key: key, text: 0) }
    return ClickReference(key: .vacant, text: texts.intern(clickID))
  }

  /// Returns the click ID that `reference` stands for.
  func text(of reference: ClickReference) -> String {
    reference.key == .vacant ? texts[reference.text] : reference.key.text
  }

  /// Returns the visit kept for the click ID of `reference`, or nil when none was read.
  func visit(_ reference: ClickReference) -> VisitEntry? {
    if reference.key != .vacant {
      if let packed = visits[reference.key], packed != .moved {
        return packed.entry(reference.key)
      }
      return otherVisits.isEmpty ? nil : otherVisits[reference.key.text]
    }
    return otherVisits[texts[reference.text]]
  }

  /// Returns the clicks of the click ID of `reference`, or nil when none was read.
  func clicks(_ reference: ClickReference) -> ClickEntry? {
    reference.key != .vacant ? clicks[reference.key] : otherClicks[texts[reference.text]]
  }

  /// Returns the visit kept for `clickID`, or nil when none was read.
  func visit(clickID: String) -> VisitEntry? {
    if let key = ClickKey(clickID), let packed = visits[key], packed != .moved {
      return packed.entry(key)
    }
    return otherVisits[clickID]
  }

  /// Returns the clicks of `clickID`, or nil when none was read.
  func clicks(clickID: String) -> ClickEntry? {
    if let key = ClickKey(clickID) { return clicks[key] }
    return otherClicks[clickID]
  }

  /// Calls `body` with every visit kept, in slot order and then the visits kept by text.
  func forEachVisit(_ body: (VisitEntry) -> Void) {
    visits.forEachEntry { key, packed in
      if packed != .moved { body(packed.entry(key)) }
    }
    for visit in otherVisits.values { body(visit) }
  }

  // MARK: - Insertion

  private mutating func insert(_ visit: VisitEntry, clickID: String) {
    if let key = ClickKey(clickID) {
      insert(visit, key: key)
    } else {
      insert(visit, text: clickID)
    }
  }

  // A second visit with a click ID is a duplicate; the earlier of the two is kept, and the
  // one read first at equal times.

  private mutating func insert(_ visit: VisitEntry, key: ClickKey) {
    guard visit.timestamp == key.timestamp else {
      insert(visit, text: key.text)
      return
    }
    if !otherVisits.isEmpty, let kept = otherVisits[key.text] {
      duplicateVisits += 1
      guard visit.timestamp < kept.timestamp else { return }
      otherVisits[key.text] = nil
    }
    visits.modify(key, initial: .moved) { kept, isNew in
      if isNew || kept == .moved {
        kept = PackedVisit(visit)
      } else {
        duplicateVisits += 1
      }
    }
  }

  private mutating func insert(_ visit: VisitEntry, text: String) {
    if let key = ClickKey(text), let packed = visits[key], packed != .moved {
      duplicateVisits += 1
      guard visit.timestamp < key.timestamp else { return }
      // The packed visit was later: it gives way, and the slot stays as a marker.
      visits.modify(key, initial: .moved) { kept, _ in kept = .moved }
    } else if let kept = otherVisits[text] {
      duplicateVisits += 1
      guard visit.timestamp < kept.timestamp else { return }
    }
    otherVisits[text] = visit
  }

  private mutating func add(_ click: ClickEntry, clickID: String) {
    if let key = ClickKey(clickID) {
      clicks.modify(key, initial: .none) { kept, _ in kept.add(click) }
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

  /// Hashes the visitor key of a line as `visitorHash(_:)` hashes its event's.
  static func visitorHash(_ line: LogLine) -> UInt64 {
    typealias Column = ClickEvent.Column
    var hash = StableHash()
    let visitor = line.value(Column.visitor.position)
    if visitor.isEmpty {
      line.value(Column.ip.position).withBytes { hash.add($0) }
      line.value(Column.userAgent.position).withBytes { hash.add($0) }
    } else {
      visitor.withBytes { hash.add($0) }
    }
    return hash.value
  }
}
