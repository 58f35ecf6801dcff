import ClicktrailLog
import ClicktrailSupport
import Foundation
import Testing

@Suite struct LogWriterRoundTripTests {
  static let awkwardValues = [
    "", "tab\there", "line\nfeed", "carriage\rreturn", "back\\slash", "ünïcødé ✓ 🎉",
    "\\\\\t\n\r", "trailing\\",
  ]

  static func clickEvents() -> [ClickEvent] {
    awkwardValues.enumerated().map { index, value in
      ClickEvent(
        timestamp: WriterTestSupport.baseTime + Int64(index), kind: .click,
        clickID: "id_\(index)-x", campaign: value, source: value, lander: value, offer: value,
        params: value, visitor: value, ip: value, userAgent: value, referrer: value)
    }
  }

  static func postbackEvents() -> [PostbackEvent] {
    awkwardValues.enumerated().flatMap { index, value in
      [
        PostbackEvent(
          timestamp: WriterTestSupport.baseTime + Int64(index), clickID: "id_\(index)",
          transactionID: value, status: .approved, payout: Money(micros: 1_250_000),
          currency: "EUR", network: value, ip: value, params: value),
        PostbackEvent(
          timestamp: WriterTestSupport.baseTime + Int64(index), clickID: value,
          transactionID: value, status: nil, payout: nil, accepted: false,
          rejectReason: "bad\tsig\(value)", ip: value, params: value),
      ]
    }
  }

  /// Writes the awkward events in two flushes, so that each file has two members.
  static func writeAwkwardEvents(root: String) -> EventLog {
    let clock = ManualWallClock(milliseconds: WriterTestSupport.baseTime)
    let log = EventLog(root: root, configuration: WriterTestSupport.configuration(clock: clock))
    let clicks = clickEvents()
    let postbacks = postbackEvents()
    for event in clicks.prefix(4) { log.append(event) }
    for event in postbacks.prefix(4) { log.append(event) }
    log.flush()
    for event in clicks.dropFirst(4) { log.append(event) }
    for event in postbacks.dropFirst(4) { log.append(event) }
    log.close()
    return log
  }

  @Test func eventsRoundTripThroughGzip() throws {
    let root = try WriterTestSupport.makeTemporaryFolder()
    defer { WriterTestSupport.removeFolder(root) }
    _ = Self.writeAwkwardEvents(root: root)
    let files = WriterTestSupport.logFiles(under: root)
    #expect(files.count == 2)
    let clickFile = try #require(files.first { $0.contains("/clicks/") })
    let postbackFile = try #require(files.first { $0.contains("/postbacks/") })

    let clicks = try WriterTestSupport.decodeWithGzip(clickFile)
    #expect(clicks.header == LogStream.clicks.headerLine)
    #expect(clicks.records == Self.clickEvents().map { .click($0) })

    let postbacks = try WriterTestSupport.decodeWithGzip(postbackFile)
    #expect(postbacks.header == LogStream.postbacks.headerLine)
    #expect(postbacks.records == Self.postbackEvents().map { .postback($0) })
  }

  @Test func membersHoldWholeLinesAfterHeader() throws {
    let root = try WriterTestSupport.makeTemporaryFolder()
    defer { WriterTestSupport.removeFolder(root) }
    _ = Self.writeAwkwardEvents(root: root)
    for path in WriterTestSupport.logFiles(under: root) {
      let bytes = try WriterTestSupport.readBytes(path)
      let split = WriterTestSupport.members(of: bytes)
      #expect(split.members.count == 2)
      #expect(split.tailBytes == 0)
      let stream = try #require(LogFileLayout.parse(fileName: (path as NSString).lastPathComponent))
        .stream
      for (index, member) in split.members.enumerated() {
        let text = try #require(WriterTestSupport.inflate(member: member))
        #expect(text.last == 0x0A)
        let startsWithHeader = text.starts(with: LogLineEncoder.header(for: stream))
        #expect(startsWithHeader == (index == 0))
        let schema = LogSchema(stream: stream)
        let dataLines = WriterTestSupport.lines(of: text).dropFirst(index == 0 ? 1 : 0)
        for line in dataLines {
          #expect(throws: Never.self) {
            try line.withUnsafeBufferPointer { try schema.decode(line: $0) }
          }
        }
      }
    }
  }

  @Test func filesPassGzipTestAndNamesParse() throws {
    let root = try WriterTestSupport.makeTemporaryFolder()
    defer { WriterTestSupport.removeFolder(root) }
    let log = Self.writeAwkwardEvents(root: root)
    for path in WriterTestSupport.logFiles(under: root) {
      #expect(try WriterTestSupport.runGzip(["-t", path]).status == 0)
      let name = try #require(LogFileLayout.parse(fileName: (path as NSString).lastPathComponent))
      #expect(name.date == "2024-03-09")
      #expect(name.hour == 23)
      #expect(name.host == WriterTestSupport.hostName)
      #expect(name.processID == WriterTestSupport.processID)
      #expect(name.sequence == 0)
      let folder = LogFileLayout.dayFolder(root: root, stream: name.stream, date: name.date)
      #expect(path == folder + "/" + name.fileName)
    }
    let statistics = log.statistics
    let total = Self.clickEvents().count + Self.postbackEvents().count
    #expect(statistics.eventsAppended == total)
    #expect(statistics.eventsWritten == total)
    #expect(statistics.membersWritten == 4)
    #expect(statistics.filesOpened == 2)
    #expect(statistics.droppedEvents == 0)
    #expect(statistics.writeErrors == 0)
  }

  @Test func idleWriterCreatesNoFiles() throws {
    let root = try WriterTestSupport.makeTemporaryFolder()
    defer { WriterTestSupport.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: WriterTestSupport.baseTime)
    let log = EventLog(root: root, configuration: WriterTestSupport.configuration(clock: clock))
    log.flush()
    log.close()
    #expect(WriterTestSupport.logFiles(under: root).isEmpty)
    #expect(log.statistics.filesOpened == 0)
  }

  @Test func truncatedFieldsAreCounted() throws {
    let root = try WriterTestSupport.makeTemporaryFolder()
    defer { WriterTestSupport.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: WriterTestSupport.baseTime)
    let writer = LogWriter(
      root: root, stream: .clicks, configuration: WriterTestSupport.configuration(clock: clock))
    var event = WriterTestSupport.click("long", at: WriterTestSupport.baseTime)
    event.userAgent = String(repeating: "u", count: 5000)
    event.referrer = String(repeating: "r", count: 5000)
    writer.append(event)
    writer.close()
    #expect(writer.statistics.truncatedFields == 2)
  }
}
