import ClicktrailLog
import ClicktrailSupport
import Foundation
import Testing

@Suite struct LogWriterCrashSafetyTests {
  typealias Support = WriterTestSupport

  @Test func tornLastMemberLeavesEarlierIntact() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let writer = LogWriter(
      root: root, stream: .clicks, configuration: Support.configuration(clock: clock))
    var batches: [[String]] = []
    for batch in 0..<3 {
      let ids = (0..<50).map { "b\(batch)-\($0)" }
      for id in ids { writer.append(Support.click(id, at: Support.baseTime)) }
      writer.flush()
      batches.append(ids)
    }
    let path = try #require(Support.logFiles(under: root).first)
    let bytes = try Support.readBytes(path)
    writer.close()

    let whole = Support.members(of: bytes)
    #expect(whole.members.count == 3)
    let lastLength = try #require(whole.members.last?.count)
    // A crash in the middle of the last write leaves half of the last member on disk.
    let torn = Array(bytes.prefix(bytes.count - lastLength / 2))
    let copy = path + ".torn"
    try Data(torn).write(to: URL(fileURLWithPath: copy))
    let split = Support.members(of: try Support.readBytes(copy))
    #expect(split.members.count == 2)
    #expect(split.tailBytes == lastLength - lastLength / 2)

    var text: [UInt8] = []
    for member in split.members {
      let inflated = try #require(Support.inflate(member: member))
      #expect(inflated.last == 0x0A)
      text += inflated
    }
    let decoded = try Support.decode(text: text)
    #expect(decoded.header == LogStream.clicks.headerLine)
    let ids = decoded.records.compactMap { record -> String? in
      guard case .click(let event) = record else { return nil }
      return event.clickID
    }
    #expect(ids == batches[0] + batches[1])
  }

  @Test func flushedDataIsReadableWhileOpen() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let writer = LogWriter(
      root: root, stream: .clicks, configuration: Support.configuration(clock: clock))
    for index in 0..<20 { writer.append(Support.click("open-\(index)", at: Support.baseTime)) }
    writer.flush()

    let files = Support.logFiles(under: root)
    #expect(files.count == 1)
    let path = try #require(files.first)
    #expect(try Support.runGzip(["-t", path]).status == 0)
    #expect(try Support.clickIDs(under: root) == (0..<20).map { "open-\($0)" })
    writer.close()
  }

  @Test func writerReleasedWithoutCloseWritesPending() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    do {
      let writer = LogWriter(
        root: root, stream: .clicks, configuration: Support.configuration(clock: clock))
      writer.append(Support.click("released", at: Support.baseTime))
    }
    #expect(try Support.clickIDs(under: root) == ["released"])
  }
}
