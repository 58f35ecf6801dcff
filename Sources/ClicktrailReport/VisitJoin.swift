import ClicktrailLog
import ClicktrailSupport
import Dispatch
import Glibc

/// The join of a report's visits with their clicks, summed into cells. A cell contains the visits
/// that share the parts of a visit some table reads: the profile (campaign, source, lander,
/// parameters) alone, or with the local hour, the offer of the last click, or the device.
/// Tables are then built from the cells, and unique visits from one record per visit, so the
/// work per visit is a few lookups and the cells stay few however many visits there are.
struct VisitJoin {
  /// A cell's identity, as numbers into the sink's texts and profiles and the join's tables.
  struct CellKey: Hashable {
    var profile: UInt32
    var device: UInt32
    /// The offer of the last click, or the visit's own, in the sink's texts.
    var offer: UInt32
    var hour: UInt32

    /// Returns the key with the parts outside `parts` set to 0.
    func masked(_ parts: CellParts) -> CellKey {
      CellKey(
        profile: parts.contains(.profile) ? profile : 0,
        device: parts.contains(.device) ? device : 0,
        offer: parts.contains(.offer) ? offer : 0, hour: parts.contains(.hour) ? hour : 0)
    }

    /// The key packed into 128 bits, for a `ClickTable`.
    var packed: ClickKey {
      ClickKey(
        high: UInt64(profile) << 32 | UInt64(device), low: UInt64(offer) << 32 | UInt64(hour))
    }
  }

  /// A visit in the range and not a bot, with the cell it counts in.
  struct JoinedVisit {
    var timestamp: Int64
    var cell: CellKey
  }

  /// The cells of one combination of parts, numbered in the order first met. A class, so
  /// that updating a space in the join's list does not copy it.
  final class CellSpace {
    let parts: CellParts
    private var numbers = ClickTable(placeholder: UInt32.max)
    /// The cells' keys, with the parts outside `parts` set to 0, and their counts.
    private(set) var keys: [CellKey] = []
    var counts: [CellCounts] = []

    init(parts: CellParts) {
      self.parts = parts
    }

    /// Returns the number of the cell that `cell` falls in, adding it when it is new.
    func number(of cell: CellKey) -> UInt32 {
      let masked = cell.masked(parts)
      let next = UInt32(keys.count)
      var number = next
      numbers.modify(masked.packed, initial: next) { value, _ in number = value }
      if number == next {
        keys.append(masked)
        counts.append(CellCounts())
      }
      return number
    }
  }

  /// The parts of each cell space; every table reads one of these combinations.
  static let spaceParts: [CellParts] = [
    .profile, [.profile, .hour], [.profile, .offer], [.profile, .device],
  ]

  /// One visit for unique visits: its local day, visitor and its cell in each space but the
  /// first (a profile cell follows from any other), 24 bytes.
  private struct VisitorRecord: Sendable {
    var visitorHash: UInt64
    var day: Int32
    var cells: (UInt32, UInt32, UInt32)
  }

  let sink: ReportSink
  let settings: ReportSettings
  let classifier: DeviceClassifier
  let calendar: LocalCalendar
  private(set) var hours = InternTable<LocalHour>()
  private var devices = InternTable<DeviceClass>()
  /// The device of each user agent of a visit in the range, by the agent's text number;
  /// `.max` for other texts.
  private var deviceOfAgent: [UInt32]
  private(set) var distinctUserAgents = 0
  private var quarterHours = QuarterHourTable()
  /// The cells, one space per entry of `spaceParts`.
  let spaces = VisitJoin.spaceParts.map { CellSpace(parts: $0) }
  /// The profile cell of each cell of space 1, whose profile it shares.
  private var profileCell: [UInt32] = []
  /// Whether each profile sends visits straight to the offer, by profile number.
  private let directLinking: [Bool]
  private var visitors: [VisitorRecord] = []
  /// The local day of each hour number, as days since 1970-01-01.
  private var dayOfHour: [Int32] = []

  private(set) var visitsInRange = 0
  private(set) var visitsOutsideRange = 0
  private(set) var botVisits = 0
  private(set) var bots: [String: Int] = [:]
  private(set) var clicksRead = 0
  private(set) var clicksJoined = 0

  init(sink: ReportSink, settings: ReportSettings, classifier: DeviceClassifier) {
    self.sink = sink
    self.settings = settings
    self.classifier = classifier
    self.calendar = LocalCalendar(timeZone: settings.timeZone)
    self.deviceOfAgent = [UInt32](repeating: .max, count: sink.texts.values.count)
    self.directLinking = sink.profiles.values.map { sink.texts[$0.lander].isEmpty }
  }

  /// Returns the device class numbered `number`.
  func device(_ number: UInt32) -> DeviceClass { devices[number] }

  // MARK: - Visits

  /// Classifies the user agents of the visits in the range, then adds every visit to its
  /// cell, or to the counts of visits outside the range and of bots.
  ///
  /// A first pass numbers the local hours and finds the user agents in the range. The
  /// visits are then split by slot into one run per worker, and each worker numbers the
  /// whole cells of its run. The runs' cells are renumbered into the join's spaces in run
  /// order, so every cell gets the number that one pass in slot order gives.
  mutating func addVisits(workers: Int) {
    var isAgentInRange = [Bool](repeating: false, count: sink.texts.values.count)
    sink.forEachVisit { visit in
      if localHour(visit.timestamp).inRange { isAgentInRange[Int(visit.userAgent)] = true }
    }
    // Each distinct user agent is classified once, on every core.
    let agentNumbers = isAgentInRange.indices.filter { isAgentInRange[$0] }.sorted {
      sink.texts.values[$0] < sink.texts.values[$1]
    }
    let classes = classifier.classifyAll(agentNumbers.map { sink.texts.values[$0] })
    for (agent, device) in zip(agentNumbers, classes) {
      deviceOfAgent[agent] = devices.intern(device)
    }
    distinctUserAgents = agentNumbers.count
    clicksRead = sink.clicks.sum { Int($0.count) }
    clicksRead += sink.otherClicks.values.reduce(0) { $0 + Int($1.count) }

    let pass = VisitPass(
      sink: sink, quarterHours: quarterHours, deviceOfAgent: deviceOfAgent,
      isBot: devices.values.map(\.isBot), directLinking: directLinking, dayOfHour: dayOfHour)
    let slots = sink.visits.slotCount
    let runCount = max(1, min(workers, slots / 4096))
    let runSlots = (0..<runCount).map { slots * $0 / runCount..<slots * ($0 + 1) / runCount }
    // Each run writes its records into its own region of one buffer, sized by the visits in
    // its slots. The regions are then closed up in run order.
    var starts: [Int] = []
    var capacity = 0
    for (run, range) in runSlots.enumerated() {
      starts.append(capacity)
      capacity += sink.visits.count(slots: range)
      if run == runCount - 1 { capacity += sink.otherVisits.count }
    }
    let regionStarts = starts
    visitors = [VisitorRecord](unsafeUninitializedCapacity: capacity) { buffer, filled in
      nonisolated(unsafe) let base = buffer.baseAddress!
      let results = LockedValue([VisitRun?](repeating: nil, count: runCount))
      DispatchQueue.concurrentPerform(iterations: runCount) { run in
        let result = VisitRun(records: base + regionStarts[run])
        pass.add(slots: runSlots[run], otherVisits: run == runCount - 1, into: result)
        results.withLock { $0[run] = result }
      }
      let finished = results.withLock { $0.map { $0! } }
      filled = 0
      for (run, result) in finished.enumerated() {
        let records = UnsafeMutableBufferPointer(start: base + filled, count: result.recordCount)
        // The regions may overlap, and the records are plain bytes.
        memmove(
          base + filled, base + regionStarts[run],
          result.recordCount * MemoryLayout<VisitorRecord>.stride)
        add(result, records: records)
        filled += result.recordCount
      }
    }
  }

  /// Adds a run's counts, and renumbers its cells and its visit records, now at `records`,
  /// into the join's spaces.
  private mutating func add(_ run: VisitRun, records: UnsafeMutableBufferPointer<VisitorRecord>) {
    visitsInRange += run.visitsInRange
    visitsOutsideRange += run.visitsOutsideRange
    botVisits += run.botVisits
    clicksJoined += run.clicksJoined
    for (campaign, count) in run.bots { bots[sink.texts[campaign], default: 0] += count }
    // Each whole cell of the run falls in one cell of each of spaces 1 to 3.
    var cellsOfWhole: [(UInt32, UInt32, UInt32)] = []
    cellsOfWhole.reserveCapacity(run.cells.keys.count)
    for (whole, key) in run.cells.keys.enumerated() {
      let counts = run.cells.counts[whole]
      let numbers = spaces[1...3].map { space in
        let number = space.number(of: key)
        space.counts[Int(number)].visits += counts.visits
        space.counts[Int(number)].clicks += counts.clicks
        return number
      }
      cellsOfWhole.append((numbers[0], numbers[1], numbers[2]))
    }
    for index in records.indices {
      records[index].cells = cellsOfWhole[Int(records[index].cells.0)]
    }
  }

  /// The inputs a worker reads to join visits, none of them changed while the workers run.
  private struct VisitPass: Sendable {
    let sink: ReportSink
    let quarterHours: QuarterHourTable
    let deviceOfAgent: [UInt32]
    /// Whether each device class is a bot, by device number.
    let isBot: [Bool]
    let directLinking: [Bool]
    let dayOfHour: [Int32]

    /// Adds the visits in `slots` of the sink's visit table, and the visits kept by text
    /// when `otherVisits`, to `run`.
    func add(slots: Range<Int>, otherVisits: Bool, into run: VisitRun) {
      // A visit's clicks are in a random slot of a table far larger than the cache. So the
      // visits go in batches, and the clicks slot of the visit a few places ahead is loaded
      // while this one is added.
      let distance = ClickTable<ClickEntry>.prefetchDistance
      var batch: [(key: ClickKey, visit: PackedVisit)] = []
      batch.reserveCapacity(256)
      func addBatch() {
        for (index, entry) in batch.enumerated() {
          if index + distance < batch.count { sink.clicks.prefetch(batch[index + distance].key) }
          add(entry.visit.entry(entry.key), clicks: sink.clicks[entry.key], into: run)
        }
        batch.removeAll(keepingCapacity: true)
      }
      sink.visits.forEachEntry(slots: slots) { key, packed in
        guard packed != .moved else { return }
        batch.append((key, packed))
        if batch.count == 256 { addBatch() }
      }
      addBatch()
      guard otherVisits else { return }
      for (clickID, visit) in sink.otherVisits {
        add(visit, clicks: sink.clicks(clickID: clickID), into: run)
      }
    }

    private func add(_ visit: VisitEntry, clicks: ClickEntry?, into run: VisitRun) {
      // The first pass met every visit's quarter hour.
      let hour = quarterHours[visit.timestamp.floorDivided(by: 900_000)]!
      guard hour.inRange else {
        run.visitsOutsideRange += 1
        return
      }
      let device = deviceOfAgent[Int(visit.userAgent)]
      if isBot[Int(device)] {
        run.botVisits += 1
        run.bots[sink.profiles[visit.profile].campaign, default: 0] += 1
        return
      }
      let joined = VisitJoin.joined(
        visit, device: device, hour: hour.hour, clicks: clicks, sink: sink)
      run.visitsInRange += 1
      let clickCount = Int(clicks?.count ?? 0)
      run.clicksJoined += clickCount
      // A direct-linking visit goes straight to the offer: it is its own click.
      let counted = directLinking[Int(visit.profile)] ? 1 : clickCount
      // The record keeps the whole cell until `add(_:records:)` replaces it with the cells of
      // spaces 1 to 3. Space 0 is summed from space 1 by `finishCells()`.
      let whole = run.addVisit(joined.cell, clicks: counted)
      let day = dayOfHour[Int(joined.cell.hour)]
      run.append(VisitorRecord(visitorHash: visit.visitorHash, day: day, cells: (whole, 0, 0)))
    }
  }

  /// One worker's share of the visits: its counts, its whole cells (every part of the key)
  /// numbered in the order the worker met them, and its visit records. Only that worker
  /// touches it until it is done.
  private final class VisitRun: @unchecked Sendable {
    let cells = CellSpace(parts: [.profile, .device, .offer, .hour])
    /// The start of the run's region for records, with room for one per visit of the run.
    let records: UnsafeMutablePointer<VisitorRecord>
    private(set) var recordCount = 0
    var visitsInRange = 0
    var visitsOutsideRange = 0
    var botVisits = 0
    /// Bot visits by campaign, in the sink's texts.
    var bots: [UInt32: Int] = [:]
    var clicksJoined = 0

    init(records: UnsafeMutablePointer<VisitorRecord>) {
      self.records = records
    }

    func append(_ record: VisitorRecord) {
      (records + recordCount).initialize(to: record)
      recordCount += 1
    }

    /// Counts a visit and its clicks in its whole cell and returns the cell's number.
    func addVisit(_ cell: CellKey, clicks: Int) -> UInt32 {
      let number = cells.number(of: cell)
      cells.counts[Int(number)].visits += 1
      cells.counts[Int(number)].clicks += clicks
      return number
    }
  }

  /// Returns the visit of `clickID` with its cell when it was read, lies in the range and is
  /// not a bot. Call after `addVisits()`.
  func joinedVisit(_ clickID: ClickReference) -> JoinedVisit? {
    guard let visit = sink.visit(clickID),
      let hour = quarterHours[visit.timestamp.floorDivided(by: 900_000)], hour.inRange,
      case let device = deviceOfAgent[Int(visit.userAgent)], device != .max,
      !devices[device].isBot
    else { return nil }
    return Self.joined(
      visit, device: device, hour: hour.hour, clicks: sink.clicks(clickID), sink: sink)
  }

  /// Returns the visit with its cell, whose offer is the last click's or the visit's own.
  private static func joined(
    _ visit: VisitEntry, device: UInt32, hour: UInt32, clicks: ClickEntry?, sink: ReportSink
  ) -> JoinedVisit {
    let offer = clicks.map(\.lastOffer) ?? sink.profiles[visit.profile].offer
    return JoinedVisit(
      timestamp: visit.timestamp,
      cell: CellKey(profile: visit.profile, device: device, offer: offer, hour: hour))
  }

  /// Adds a conversion to the cells of `cell`.
  mutating func addConversion(cell: CellKey, status: PostbackEvent.Status, payout: Money) {
    let status = MetricCounts.index(of: status)
    for cells in spaces.dropFirst() {
      let number = Int(cells.number(of: cell))
      cells.counts[number].conversions[status] += 1
      cells.counts[number].revenue[status] = cells.counts[number].revenue[status] + payout
    }
  }

  /// Sums the profile cells (space 0) from the cells of space 1, each of which contains one
  /// profile's visits and conversions of one hour. Call after the last conversion.
  mutating func finishCells() {
    let profiles = spaces[0]
    let hours = spaces[1]
    profileCell = hours.keys.map { profiles.number(of: $0) }
    for (cell, profile) in profileCell.enumerated() {
      let counts = hours.counts[cell]
      profiles.counts[Int(profile)].visits += counts.visits
      profiles.counts[Int(profile)].clicks += counts.clicks
      for status in 0..<3 {
        profiles.counts[Int(profile)].conversions[status] += counts.conversions[status]
        profiles.counts[Int(profile)].revenue[status] =
          profiles.counts[Int(profile)].revenue[status] + counts.revenue[status]
      }
    }
  }

  /// Returns the number of `hour`, numbering it when it is new.
  mutating func number(of hour: LocalHour) -> UInt32 {
    let number = hours.intern(hour)
    if Int(number) == dayOfHour.count { dayOfHour.append(Int32(hour.date.daysSinceEpoch)) }
    return number
  }

  private mutating func localHour(_ timestamp: Int64) -> (hour: UInt32, inRange: Bool) {
    let quarter = timestamp.floorDivided(by: 900_000)
    if let known = quarterHours[quarter] { return known }
    let hour = calendar.localHour(at: timestamp)
    let entry = (hour: number(of: hour), inRange: settings.contains(hour.date))
    quarterHours[quarter] = entry
    return entry
  }

  // MARK: - Cells and unique visits

  /// Counts unique visits in every table: a visitor counts once per row and local day.
  /// `spaceOfTable` gives the cell space each table was built from.
  ///
  /// The visit records are split by visitor into one part per worker, so that a visitor's
  /// records all fall in one part. Each worker sorts its part by day and visitor, which puts
  /// each visitor's visits of a day side by side, so a row counts them once without a set
  /// per row. The parts' counts are then added, which gives the same counts for any number
  /// of workers.
  mutating func countUniqueVisits(
    into tables: inout [TableAccumulator], spaceOfTable: [Int], workers: Int
  ) {
    // For each table, flat from `rowBase[table]`, the row of each cell of the space that a
    // visit record names for it: profile tables read the cell of space 1 through its
    // profile cell.
    var rowBase: [Int] = []
    var rowOfCell: [Int32] = []
    var uniqueBase: [Int] = []
    var uniqueCount = 0
    for (table, space) in zip(tables, spaceOfTable) {
      rowBase.append(rowOfCell.count)
      if space == 0 {
        for cell in profileCell { rowOfCell.append(table.row(ofCell: Int(cell))) }
      } else {
        for cell in spaces[space].keys.indices { rowOfCell.append(table.row(ofCell: cell)) }
      }
      uniqueBase.append(uniqueCount)
      uniqueCount += table.counts.count
    }
    let rows = UniqueRows(
      rowBase: rowBase, rowOfCell: rowOfCell, uniqueBase: uniqueBase,
      readSpace: spaceOfTable.map { max($0, 1) }, uniqueCount: uniqueCount)

    let parts = Self.partitionByVisitor(&visitors, parts: max(1, workers))
    let partCounts = LockedValue([[Int]](repeating: [], count: parts.count))
    visitors.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: parts.count) { part in
        let records = UnsafeMutableBufferPointer(rebasing: buffer[parts[part]])
        let counts = rows.count(records)
        partCounts.withLock { $0[part] = counts }
      }
    }
    var unique = [Int](repeating: 0, count: uniqueCount)
    for counts in partCounts.withLock({ $0 }) {
      for index in counts.indices { unique[index] += counts[index] }
    }

    for table in tables.indices {
      for row in tables[table].counts.indices {
        tables[table].counts[row].uniqueVisits = unique[uniqueBase[table] + row]
      }
    }
  }

  /// Reorders `records` in place into `parts` runs by visitor hash and returns the runs. All
  /// the records of one visitor land in one run.
  private static func partitionByVisitor(
    _ records: inout [VisitorRecord], parts: Int
  ) -> [Range<Int>] {
    func part(_ record: VisitorRecord) -> Int {
      Int(truncatingIfNeeded: ((record.visitorHash >> 32) &* UInt64(parts)) >> 32)
    }
    var sizes = [Int](repeating: 0, count: parts)
    for record in records { sizes[part(record)] += 1 }
    var ends: [Int] = []
    var total = 0
    for size in sizes {
      total += size
      ends.append(total)
    }
    var next = [0] + ends.dropLast()
    let starts = next
    // Each record is swapped straight into its run, so every swap places at least one.
    for run in 0..<parts {
      while next[run] < ends[run] {
        let target = part(records[next[run]])
        if target == run {
          next[run] += 1
        } else {
          records.swapAt(next[run], next[target])
          next[target] += 1
        }
      }
    }
    return (0..<parts).map { starts[$0]..<ends[$0] }
  }

  /// The row of each table that a visit record's unique visit counts in, and the counting.
  private struct UniqueRows: Sendable {
    let rowBase: [Int]
    let rowOfCell: [Int32]
    let uniqueBase: [Int]
    /// The space whose cell number of a record each table reads: 1, 2 or 3.
    let readSpace: [Int]
    let uniqueCount: Int

    /// Sorts `records` and returns the unique visits they add to each row of each table,
    /// flat from `uniqueBase[table]`.
    func count(_ records: UnsafeMutableBufferPointer<VisitorRecord>) -> [Int] {
      var records = records
      records.sort { ($0.day, $0.visitorHash) < ($1.day, $1.visitorHash) }
      var unique = [Int](repeating: 0, count: uniqueCount)
      var rows: [Int32] = []
      var start = 0
      while start < records.count {
        var end = start + 1
        while end < records.count && records[end].day == records[start].day
          && records[end].visitorHash == records[start].visitorHash
        {
          end += 1
        }
        for table in readSpace.indices {
          rows.removeAll(keepingCapacity: true)
          for index in start..<end {
            let cells = records[index].cells
            let cell: UInt32
            switch readSpace[table] {
            case 1: cell = cells.0
            case 2: cell = cells.1
            default: cell = cells.2
            }
            let row = rowOfCell[rowBase[table] + Int(cell)]
            if row >= 0 && !rows.contains(row) { rows.append(row) }
          }
          for row in rows { unique[uniqueBase[table] + Int(row)] += 1 }
        }
        start = end
      }
      return unique
    }
  }
}

/// The visits, clicks and conversions of a cell, without arrays so that a cell is one
/// allocation-free value.
struct CellCounts {
  var visits = 0
  var clicks = 0
  /// By final status: approved, pending, declined.
  var conversions = FixedThree<Int>(0)
  /// Payouts by final status; sums clamp as `Money` sums do.
  var revenue = FixedThree<Money>(Money(micros: 0))
}

/// Three values by status index, stored inline.
struct FixedThree<Value> {
  private var values: (Value, Value, Value)

  init(_ value: Value) {
    values = (value, value, value)
  }

  subscript(index: Int) -> Value {
    get {
      switch index {
      case 0: values.0
      case 1: values.1
      default: values.2
      }
    }
    set {
      switch index {
      case 0: values.0 = newValue
      case 1: values.1 = newValue
      default: values.2 = newValue
      }
    }
  }
}

/// The local hour number, and whether it lies in the range, of each UTC quarter hour met: an
/// array over the quarters between the earliest and latest met, since a report's visits
/// cover a span of days; a dictionary keeps the quarters that would stretch it past 40 years.
private struct QuarterHourTable: Sendable {
  private var first: Int64 = 0
  /// Per quarter from `first`: 0 when unknown, else the hour number + 1, with bit 31 set
  /// when the hour lies in the range.
  private var entries: [UInt32] = []
  private var outliers: [Int64: (hour: UInt32, inRange: Bool)] = [:]
  private static let maxQuarters: Int64 = 40 * 366 * 96

  subscript(quarter: Int64) -> (hour: UInt32, inRange: Bool)? {
    get {
      let offset = quarter &- first
      if offset >= 0 && offset < entries.count {
        let entry = entries[Int(offset)]
        return entry == 0 ? nil : (entry & 0x7FFF_FFFF - 1, entry & 0x8000_0000 != 0)
      }
      return outliers[quarter]
    }
    set {
      guard let newValue else { return }
      guard cover(quarter) else {
        outliers[quarter] = newValue
        return
      }
      entries[Int(quarter - first)] = (newValue.hour + 1) | (newValue.inRange ? 0x8000_0000 : 0)
    }
  }

  /// Stretches the array to hold `quarter` unless that makes it too long.
  private mutating func cover(_ quarter: Int64) -> Bool {
    if entries.isEmpty {
      first = quarter
      entries = [0]
      return true
    }
    let last = first + Int64(entries.count) - 1
    let low = min(first, quarter)
    let high = max(last, quarter)
    guard high - low < Self.maxQuarters else { return false }
    if quarter < first {
      entries.insert(contentsOf: repeatElement(0, count: Int(first - quarter)), at: 0)
      first = quarter
    } else if quarter > last {
      entries += repeatElement(0, count: Int(quarter - last))
    }
    return true
  }
}
