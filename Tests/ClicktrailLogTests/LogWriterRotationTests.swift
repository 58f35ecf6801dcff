import ClicktrailLog
import ClicktrailSupport
import Foundation
import Testing

@Suite struct LogWriterRotationTests {
  typealias Support = WriterTestSupport

  static func fileName(_ path: String) -> LogFileName? {
    LogFileLayout.parse(fileName: (path as NSString).lastPathComponent)
  }

  @Test func eventsSplitByUTCHourAcrossMidnight() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let writer = LogWriter(
      root: root, stream: .clicks, configuration: Support.configuration(clock: clock))
    // 23:10 on 2024-03-09, then 00:10 and 01:10 on 2024-03-10, interleaved.
    for index in 0..<30 {
      let hourOffset = Int64(index % 3)
      writer.append(Support.click("e\(index)", at: Support.baseTime + hourOffset * Support.hour))
    }
    writer.close()

    let files = Support.logFiles(under: root)
    #expect(files.count == 3)
    let expected: [(folder: String, date: String, hour: Int)] = [
      ("/clicks/2024-03-09/", "2024-03-09", 23),
      ("/clicks/2024-03-10/", "2024-03-10", 0),
      ("/clicks/2024-03-10/", "2024-03-10", 1),
    ]
    for (path, expectation) in zip(files, expected) {
      #expect(path.contains(expectation.folder))
      let name = try #require(Self.fileName(path))
      #expect(name.date == expectation.date)
      #expect(name.hour == expectation.hour)
      let records = try Support.decodeWithGzip(path).records
      #expect(records.count == 10)
      for record in records {
        guard case .click(let event) = record else { continue }
        let civil = CivilTime(secondsSinceEpoch: event.timestamp / 1000)
        #expect(civil.dateString == expectation.date)
        #expect(civil.hour == expectation.hour)
      }
    }
  }

  @Test func sizeLimitStartsNextSequence() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let configuration = Support.configuration(
      clock: clock, output: output, maxMemberBytes: 2048, maxFileBytes: 600)
    let writer = LogWriter(root: root, stream: .clicks, configuration: configuration)
    var ids: [String] = []
    for batch in 0..<6 {
      for index in 0..<40 {
        // Distinct random-looking IDs keep members from compressing to nothing.
        let id = "b\(batch)-\(index)-\(UUID().uuidString.prefix(12))"
        ids.append(id)
        writer.append(Support.click(id, at: Support.baseTime + Int64(index)))
      }
      writer.flush()
    }
    writer.close()

    let files = Support.logFiles(under: root)
    #expect(files.count > 2)
    let sequences = files.compactMap { Self.fileName($0)?.sequence }
    #expect(sequences == Array(0..<files.count))
    for path in files {
      #expect(try Support.decodeWithGzip(path).header == LogStream.clicks.headerLine)
    }
    #expect(try Support.clickIDs(under: root) == ids)
    #expect(
      output.lines.contains {
        $0.contains("rotated log file") && $0.contains("rotation.reason=size")
      })
  }

  @Test func lateEventOpensNewFileForItsHour() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let configuration = Support.configuration(clock: clock, output: output)
    let writer = LogWriter(root: root, stream: .clicks, configuration: configuration)
    writer.append(Support.click("on-time", at: Support.baseTime))
    writer.flush()
    #expect(Support.logFiles(under: root).count == 1)

    // Past the end of the hour plus the close grace, the next flush closes the hour's file.
    let grace = configuration.closeGrace.components.seconds * 1000
    clock.advance(milliseconds: Support.hour + grace + 1)
    writer.flush()
    #expect(output.lines.contains { $0.contains("rotation.reason=hour") })

    writer.append(Support.click("late", at: Support.baseTime + 1))
    writer.close()

    let files = Support.logFiles(under: root)
    #expect(files.count == 2)
    let names = files.compactMap(Self.fileName)
    #expect(names.map(\.sequence) == [0, 1])
    #expect(names.map(\.date) == ["2024-03-09", "2024-03-09"])
    #expect(names.map(\.hour) == [23, 23])
    #expect(try Support.decodeWithGzip(files[1]).records.count == 1)
    #expect(try Support.clickIDs(under: root) == ["on-time", "late"])
  }

  @Test func currentHourFileStaysOpenWithinGrace() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let writer = LogWriter(
      root: root, stream: .clicks, configuration: Support.configuration(clock: clock))
    writer.append(Support.click("first", at: Support.baseTime))
    writer.flush()
    clock.advance(milliseconds: 60_000)
    writer.append(Support.click("second", at: Support.baseTime + 60_000))
    writer.close()
    #expect(Support.logFiles(under: root).count == 1)
    #expect(writer.statistics.membersWritten == 2)
    #expect(writer.statistics.filesOpened == 1)
  }
}
