import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

@testable import ClicktrailReport

/// A service-style click ID: the visit's Unix milliseconds in 8 base64url characters, then
/// 12 more.
private func serviceID(_ milliseconds: Int64, _ suffix: String) -> String {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
  var text = ""
  for shift in stride(from: 42, through: 0, by: -6) {
    text.append(alphabet[Int(milliseconds >> Int64(shift) & 63)])
  }
  return text + suffix
}

private func visit(_ id: String, at time: Int64, campaign: String = "alpha") -> ClickEvent {
  ClickEvent(
    timestamp: time, kind: .visit, clickID: id, campaign: campaign, source: "sms",
    lander: "l1", params: "gender=male", visitor: "v-\(id)", ip: "198.51.100.0",
    userAgent: "Mozilla/5.0 (iPhone)")
}

private func sink(_ events: [ClickEvent]) -> ReportSink {
  var sink = ReportSink()
  for event in events { sink.consume(.click(event)) }
  return sink
}

@Suite struct ClickKeyTests {
  @Test func packsAndUnpacksServiceIDs() throws {
    let id = serviceID(1_793_577_600_505, "C8lC7pCGwXG5")
    let key = try #require(ClickKey(id))
    #expect(key.text == id)
    #expect(key.timestamp == 1_793_577_600_505)
  }

  @Test func rejectsOtherIDs() {
    #expect(ClickKey("v1") == nil)
    #expect(ClickKey(String(repeating: "A", count: 21)) == nil)
    #expect(ClickKey("AAAAAAAAAAAAAAAAAAA.") == nil)
  }
}

@Suite struct ClickTableTests {
  @Test func keepsEveryKeyThroughGrowth() {
    var table = ClickTable(placeholder: 0)
    var generator = SystemRandomNumberGenerator()
    var keys: [ClickKey] = []
    for number in 0..<50_000 {
      let key = ClickKey(
        high: UInt64.random(in: 0..<(1 << 60), using: &generator),
        low: UInt64.random(in: 0..<(1 << 60), using: &generator))
      keys.append(key)
      table.modify(key, initial: 0) { value, isNew in
        #expect(isNew)
        value = number
      }
    }
    #expect(table.count == 50_000)
    for (number, key) in keys.enumerated() where table[key] != number {
      Issue.record("key \(number) lost its value")
    }
    #expect(table.sum { _ in 1 } == 50_000)
    table.modify(keys[7], initial: -1) { value, isNew in
      #expect(!isNew)
      value += 1
    }
    #expect(table[keys[7]] == 8)
    #expect(table.count == 50_000)
  }
}

@Suite struct ReportSinkTests {
  let time: Int64 = 1_793_577_600_505

  @Test func serviceVisitsArePacked() {
    let id = serviceID(time, "C8lC7pCGwXG5")
    let kept = sink([visit(id, at: time)])
    #expect(kept.visits.count == 1)
    #expect(kept.otherVisits.isEmpty)
    #expect(kept.visit(clickID: id)?.timestamp == time)
  }

  @Test func visitAtAnotherTimeIsKeptWhole() {
    let id = serviceID(time, "C8lC7pCGwXG5")
    let kept = sink([visit(id, at: time + 5)])
    #expect(kept.otherVisits[id]?.timestamp == time + 5)
    #expect(kept.visit(clickID: id)?.timestamp == time + 5)
  }

  @Test func earlierDuplicateWinsInEitherOrder() {
    let id = serviceID(time, "C8lC7pCGwXG5")
    let packed = visit(id, at: time, campaign: "packed")
    let earlier = visit(id, at: time - 1000, campaign: "earlier")
    let later = visit(id, at: time + 1000, campaign: "later")
    for events in [[packed, earlier, later], [later, earlier, packed], [earlier, packed]] {
      let kept = sink(events)
      let entry = kept.visit(clickID: id)
      #expect(entry?.timestamp == time - 1000)
      #expect(kept.duplicateVisits == events.count - 1)
      var count = 0
      kept.forEachVisit { _ in count += 1 }
      #expect(count == 1)
    }
  }

  @Test func firstReadWinsAtEqualTimes() throws {
    let id = serviceID(time, "C8lC7pCGwXG5")
    let kept = sink([
      visit(id, at: time, campaign: "first"), visit(id, at: time, campaign: "second"),
    ])
    let entry = try #require(kept.visit(clickID: id))
    #expect(kept.texts[kept.profiles[entry.profile].campaign] == "first")
    #expect(kept.duplicateVisits == 1)
  }

  @Test func mergeMatchesOneSinkInFileOrder() throws {
    let first = serviceID(time, "C8lC7pCGwXG5")
    let second = serviceID(time + 60_000, "aaaaaaaaaaaa")
    let events = [
      visit(first, at: time, campaign: "a"), visit("short", at: time, campaign: "b"),
      visit(second, at: time + 60_000, campaign: "c"), visit(first, at: time - 1, campaign: "d"),
      visit("short", at: time - 1, campaign: "e"),
    ]
    let whole = sink(events)
    var merged = sink(Array(events.prefix(2)))
    merged.merge(sink(Array(events.dropFirst(2))))
    #expect(merged.duplicateVisits == whole.duplicateVisits)
    for id in [first, second, "short"] {
      let left = try #require(merged.visit(clickID: id))
      let right = try #require(whole.visit(clickID: id))
      #expect(left.timestamp == right.timestamp)
      #expect(
        merged.texts[merged.profiles[left.profile].campaign]
          == whole.texts[whole.profiles[right.profile].campaign])
    }
  }

  /// Lines with escapes, invalid UTF-8 and a reordered header go through the sink's
  /// in-place path or its fallback; either way the tables must equal those built from
  /// records.
  @Test func linePathMatchesRecordPath() throws {
    let fixture = try LogFixture()
    var text =
      "ua\tts\tevent\tclick_id\tcampaign\tsource\tlander\toffer\tparams\tvisitor\tip\treferrer\n"
    for index in 0..<400 {
      let time = self.time + Int64(index) * 97_000
      let id = index % 7 == 0 ? "odd\(index)" : serviceID(time, String(format: "%012d", index))
      let agent = index % 5 == 0 ? "Agent\\twith tab" : "Mozilla/5.0 (iPhone) #\(index % 9)"
      let params = index % 3 == 0 ? "gender=female" : "gender=male&age=18-24"
      let visitor = index % 4 == 0 ? "" : "visitor\(index % 50)"
      text += "\(agent)\t\(time)\tvisit\t\(id)\tcamp\(index % 2)\tsms\tl1\t\t\(params)\t"
      text += "\(visitor)\t198.51.100.\(index % 3)\t\n"
      if index % 2 == 0 {
        text +=
          "x\t\(time + 1000)\tclick\t\(id)\tcamp\(index % 2)\tsms\tl1\to\(index % 3)\t\t\t\t\n"
      }
    }
    var bytes = Array(text.utf8)
    // One line with a byte that is not UTF-8 in its user agent.
    bytes +=
      Array("bad ".utf8) + [0xFF]
      + Array("\t\(time)\tvisit\tbadutf8\tcamp0\tsms\tl1\t\t\t\t\t\n".utf8)
    let path = try fixture.write(bytes, to: "clicks.tsv")
    let options = LogReadOptions(workers: 2)
    let viaLines = LogReader.read(paths: [path], options: options, into: ReportSink.self).sink
    let records = LogReader.read(paths: [path], options: options, into: CollectingSink.self)
    var viaRecords = ReportSink()
    for record in records.sink.records { viaRecords.consume(record) }

    let settings = ReportSettings(timeZone: TimeZone(identifier: "UTC")!)
    let builder = ReportBuilder(
      settings: settings, catalogue: nil, sends: nil, classifier: SimpleDeviceClassifier())
    let left = builder.build(viaLines, accounting: ReportAccounting())
    let right = builder.build(viaRecords, accounting: ReportAccounting())
    #expect(left.accounting == right.accounting)
    #expect(left.accounting.visitsInRange == 401)
    #expect(left.tables.count == right.tables.count)
    for (leftTable, rightTable) in zip(left.tables, right.tables) {
      #expect(leftTable.name == rightTable.name)
      #expect(leftTable.rows.map(\.keys) == rightTable.rows.map(\.keys))
      #expect(leftTable.rows.map(\.counts) == rightTable.rows.map(\.counts))
    }
    let campaigns = try #require(left.tables.first { $0.name == "campaigns" })
    #expect(campaigns.rows.map(\.counts.visits).reduce(0, +) == 401)
    #expect(campaigns.rows.map(\.counts.clicks).reduce(0, +) == 200)
  }
}

/// The join and the unique-visit count split their work by worker, so the tables must not
/// depend on how many workers there are.
@Suite struct ParallelJoinTests {
  let start: Int64 = 1_793_577_600_505  // 2026-11-02T00:00:00.505Z

  /// 12,000 visits over four UTC days: every 11th from a bot, every 13th with a click ID kept
  /// as text, one campaign without a lander, 700 visitors who come back across days.
  private func events() -> [ClickEvent] {
    var events: [ClickEvent] = []
    for index in 0..<12_000 {
      let time = start + Int64(index) * 30_000
      let id = index % 13 == 0 ? "text-\(index)" : serviceID(time, String(format: "%012d", index))
      let campaign = "camp\(index % 3)"
      let agent = index % 11 == 0 ? "curl/8.0" : "Mozilla/5.0 (iPhone) #\(index % 9)"
      events.append(
        ClickEvent(
          timestamp: time, kind: .visit, clickID: id, campaign: campaign, source: "sms",
          lander: index % 3 == 2 ? "" : "l\(index % 2)", offer: "o0",
          params: index % 4 == 0 ? "gender=female" : "gender=male",
          visitor: "visitor\(index % 700)", ip: "198.51.100.1", userAgent: agent))
      if index % 2 == 0 {
        events.append(
          ClickEvent(
            timestamp: time + 5_000, kind: .click, clickID: id, campaign: campaign,
            offer: "o\(index % 5)"))
      }
    }
    return events
  }

  @Test func tablesIndependentOfWorkers() throws {
    var sink = ReportSink()
    for event in events() { sink.consume(.click(event)) }
    // The middle two days: 2026-11-03 and 2026-11-04.
    let settings = ReportSettings(
      from: LocalDate(parsing: "2026-11-03"), to: LocalDate(parsing: "2026-11-04"),
      timeZone: TimeZone(identifier: "UTC")!)
    var outputs: [ReportBuilder.Output] = []
    for workers in [1, 2, 3, 5] {
      var builder = ReportBuilder(
        settings: settings, catalogue: nil, sends: nil, classifier: SimpleDeviceClassifier())
      builder.workers = workers
      outputs.append(builder.build(sink, accounting: ReportAccounting()))
    }
    for output in outputs.dropFirst() {
      #expect(output.accounting == outputs[0].accounting)
      #expect(output.tables.map(\.name) == outputs[0].tables.map(\.name))
      for (table, first) in zip(output.tables, outputs[0].tables) {
        #expect(table.rows.map(\.keys) == first.rows.map(\.keys), "\(table.name)")
        #expect(table.rows.map(\.counts) == first.rows.map(\.counts), "\(table.name)")
      }
    }

    // Recounted here from the events: visits and unique visitor-days per campaign.
    var visits: [String: Int] = [:]
    var visitorDays: [String: Set<String>] = [:]
    for event in events() where event.kind == .visit && event.userAgent != "curl/8.0" {
      let day = (event.timestamp - start) / 86_400_000
      guard day == 1 || day == 2 else { continue }
      visits[event.campaign, default: 0] += 1
      visitorDays[event.campaign, default: []].insert("\(day) \(event.visitor)")
    }
    let campaigns = try #require(outputs[1].tables.first { $0.name == "campaigns" })
    #expect(campaigns.rows.count == 3)
    for row in campaigns.rows {
      let campaign = try #require(row.keys.first)
      #expect(row.counts.visits == visits[campaign], "\(campaign)")
      #expect(row.counts.uniqueVisits == visitorDays[campaign]?.count, "\(campaign)")
    }
    #expect(outputs[1].accounting.visitsInRange == visits.values.reduce(0, +))
  }
}

@Suite struct LogLinePositionTests {
  @Test func positionsFollowColumnOrder() {
    for (index, column) in ClickEvent.Column.allCases.enumerated() {
      #expect(column.position == index)
    }
    for (index, column) in PostbackEvent.Column.allCases.enumerated() {
      #expect(column.position == index)
    }
  }
}
