import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

@Suite struct LogReaderTests {
  @Test func soundFileYieldsEveryLine() throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 5, perMember: 10)
    let path = try fixture.write(file.bytes)
    let (summary, records) = fixture.read(path)
    #expect(summary.stream == .clicks)
    #expect(summary.compressed)
    #expect(summary.formatVersion == 1)
    #expect(summary.members == 5)
    #expect(summary.lines == 51)
    #expect(summary.events == 50)
    #expect(summary.eventsByType == ["visit": 17, "click": 17, "preview": 16])
    #expect(summary.problems.isEmpty)
    #expect(summary.bytes == file.bytes.count)
    #expect(records.count == 50)
    #expect(records.first.map(\.typeName) == "visit")
  }

  @Test func workerCountDoesNotChangeTheResult() throws {
    let fixture = try LogFixture()
    var file = LogBytes.clicksFile(members: 300, perMember: 20)
    file.bytes[file.ranges[150].lowerBound + 40] ^= 0xFF
    let path = try fixture.write(file.bytes)
    let one = fixture.read(path, workers: 1, chunkBytes: 8_192)
    let two = fixture.read(path, workers: 2, chunkBytes: 8_192)
    #expect(one.summary == two.summary)
    #expect(one.records == two.records)
    #expect(two.summary.members == 300)
    #expect(two.summary.lines == 1 + 299 * 20)
    #expect(two.summary.events == 299 * 20)
    #expect(two.summary.problems.map(\.kind) == [.corruptMember])
    #expect(two.summary.problems.first?.member == 150)
  }

  @Test func filesKeepTheirOrderAndSinksMerge() throws {
    let fixture = try LogFixture()
    let first = try fixture.write(
      LogBytes.clicksFile(members: 3, perMember: 4).bytes, to: "a.tsv.gz")
    let second = try fixture.write(LogBytes.clicksText(7), to: "b.tsv")
    let result = LogReader.read(
      paths: [first, second], options: LogReadOptions(workers: 2), into: CountingSink.self)
    #expect(result.files.map(\.path) == [first, second])
    #expect(result.files.map(\.events) == [12, 7])
    #expect(result.sink.records == 19)
  }

  @Test func fileRecompressedByGzipIsStreamed() throws {
    let fixture = try LogFixture()
    let path = try fixture.write(try LogBytes.systemGzip(LogBytes.clicksText(50_000)))
    let (summary, records) = fixture.read(path)
    #expect(summary.compressed)
    #expect(summary.formatVersion == nil)
    #expect(summary.members == 1)
    #expect(summary.lines == 50_001)
    #expect(summary.events == 50_000)
    #expect(summary.problems.isEmpty)
    #expect(records.last == LogBytes.record(49_999))
  }

  @Test func plainTextFileIsReadUncompressed() throws {
    let fixture = try LogFixture()
    let path = try fixture.write(LogBytes.clicksText(30), to: "log.tsv")
    let (summary, _) = fixture.read(path)
    #expect(!summary.compressed)
    #expect(summary.members == 0)
    #expect(summary.lines == 31)
    #expect(summary.events == 30)
    #expect(summary.problems.isEmpty)
  }

  @Test func emptyMemberIsAcceptedAndCounted() throws {
    let fixture = try LogFixture()
    let file = LogBytes.clicksFile(members: 2, perMember: 5)
    let path = try fixture.write(file.bytes + LogBytes.member([]) + LogBytes.member([]))
    let (summary, _) = fixture.read(path)
    #expect(summary.members == 4)
    #expect(summary.lines == 11)
    #expect(summary.problems.isEmpty)
  }

  @Test func crlfLineEndsAreAccepted() throws {
    let fixture = try LogFixture()
    let text = LogBytes.clicksText(4)
    let crlf = text.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
    let path = try fixture.write(LogBytes.member(crlf))
    let (summary, records) = fixture.read(path)
    #expect(summary.lines == 5)
    #expect(summary.events == 4)
    #expect(summary.problems.isEmpty)
    #expect(records.first == LogBytes.record(0))
  }

  @Test func postbacksAreCountedByOutcome() throws {
    let fixture = try LogFixture()
    var text = LogLineEncoder.header(for: .postbacks)
    LogLineEncoder.append(
      PostbackEvent(timestamp: 1, clickID: "a", status: .approved, payout: nil), to: &text)
    LogLineEncoder.append(
      PostbackEvent(
        timestamp: 2, clickID: "?", status: nil, payout: nil, accepted: false,
        rejectReason: "bad_signature"), to: &text)
    let path = try fixture.write(LogBytes.member(text, stream: .postbacks))
    let (summary, _) = fixture.read(path)
    #expect(summary.stream == .postbacks)
    #expect(summary.eventsByType == ["accepted": 1, "rejected": 1])
  }
}

extension LogBytes {
  /// Returns the record that `clickLine(number)` decodes to.
  static func record(_ number: Int) -> LogRecord {
    let line = clickLine(number).dropLast()
    return try! line.withUnsafeBufferPointer {
      try LogSchema(stream: .clicks).decode(line: $0).record
    }
  }
}
