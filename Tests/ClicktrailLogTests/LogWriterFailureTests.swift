import ClicktrailSupport
import Foundation
import Synchronization
import Testing

@testable import ClicktrailLog

@Suite struct LogWriterFailureTests {
  typealias Support = WriterTestSupport

  static func lineLength(of event: ClickEvent) -> Int {
    var line: [UInt8] = []
    LogLineEncoder.append(event, to: &line)
    return line.count
  }

  @Test func fullQueueDropsAndCounts() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    // IDs of equal length give lines of equal length, so exactly ten fit the queue. The flusher
    // thread never wakes by itself: the interval is an hour and no member fills.
    let lineLength = Self.lineLength(of: Support.click("id-00", at: Support.baseTime))
    let configuration = Support.configuration(
      clock: clock, output: output, maxQueueBytes: lineLength * 10 + lineLength / 2)
    let writer = LogWriter(root: root, stream: .clicks, configuration: configuration)

    var results: [Bool] = []
    for index in 10..<35 {
      results.append(writer.append(Support.click("id-\(index)", at: Support.baseTime)))
    }
    #expect(results.filter { $0 }.count == 10)
    #expect(results.prefix(10).allSatisfy { $0 })
    #expect(writer.statistics.droppedEvents == 15)
    #expect(writer.statistics.droppedBytes == 15 * lineLength)
    #expect(writer.statistics.eventsAppended == 25)
    let warnings = output.lines.filter { $0.contains("dropped log events") }
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("dropped.events=1 ") == true)

    // Ten seconds later the next flush reports the drops that the first warning did not.
    clock.advance(milliseconds: 10_000)
    writer.flush()
    let laterWarnings = output.lines.filter { $0.contains("dropped log events") }
    #expect(laterWarnings.count == 2)
    #expect(laterWarnings.last?.contains("dropped.events=14 ") == true)

    // The flush emptied the queue, so appends succeed again.
    #expect(writer.append(Support.click("id-99", at: Support.baseTime)))
    writer.close()
    #expect(writer.statistics.eventsWritten == 11)
    #expect(try Support.clickIDs(under: root).count == 11)
  }

  @Test func appendAfterCloseIsDropped() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let writer = LogWriter(
      root: root, stream: .clicks, configuration: Support.configuration(clock: clock))
    writer.close()
    #expect(!writer.append(Support.click("late", at: Support.baseTime)))
    #expect(writer.statistics.droppedEvents == 1)
    writer.close()
    #expect(Support.logFiles(under: root).isEmpty)
  }

  @Test func writeErrorIsCountedThenWritingResumes() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let writer = LogWriter(
      root: root, stream: .clicks,
      configuration: Support.configuration(clock: clock, output: output))
    // A regular file where the stream folder belongs blocks every open, even for root.
    let obstacle = root + "/clicks"
    #expect(FileManager.default.createFile(atPath: obstacle, contents: Data("x".utf8)))

    var accepted = 0
    for index in 0..<5 where writer.append(Support.click("lost-\(index)", at: Support.baseTime)) {
      accepted += 1
    }
    writer.flush()
    #expect(accepted == 5)
    #expect(writer.statistics.writeErrors == 1)
    #expect(writer.statistics.droppedEvents == 5)
    #expect(writer.statistics.eventsWritten == 0)
    let errors = output.lines.filter { $0.contains("log file operation failed") }
    #expect(errors.count == 1)
    #expect(errors.first?.contains("file.path=\(root)/clicks/2024-03-09") == true)
    #expect(errors.first?.contains("\"Not a directory\"") == true)

    try FileManager.default.removeItem(atPath: obstacle)
    for index in 0..<3 {
      #expect(writer.append(Support.click("kept-\(index)", at: Support.baseTime)))
    }
    writer.flush()
    let statistics = writer.statistics
    #expect(statistics.eventsWritten == 3)
    #expect(statistics.eventsAppended == statistics.eventsWritten + statistics.droppedEvents)
    #expect(try Support.clickIDs(under: root) == ["kept-0", "kept-1", "kept-2"])
    writer.close()
  }

  /// A full disk lets `open` succeed and fails every `write`: each flush then creates a file
  /// and removes it again, which must not log two lines per flush.
  @Test func failedWritesOfNewFilesAreQuiet() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let diskFull = Atomic<Bool>(true)
    var configuration = Support.configuration(clock: clock, output: output)
    configuration.writeCall = { descriptor, buffer, count in
      guard !diskFull.load(ordering: .relaxed) else {
        errno = ENOSPC
        return -1
      }
      return write(descriptor, buffer, count)
    }
    let writer = LogWriter(root: root, stream: .clicks, configuration: configuration)
    for index in 0..<5 {
      #expect(writer.append(Support.click("lost-\(index)", at: Support.baseTime)))
      writer.flush()
    }
    #expect(writer.statistics.writeErrors == 5)
    #expect(writer.statistics.droppedEvents == 5)
    #expect(writer.statistics.filesOpened == 0)
    #expect(Support.logFiles(under: root).isEmpty)
    #expect(output.lines.filter { $0.contains("opened log file") }.isEmpty)
    #expect(output.lines.filter { $0.contains("closed log file") }.isEmpty)
    let errors = output.lines.filter { $0.contains("log file operation failed") }
    #expect(errors.count == 1)
    #expect(errors.first?.contains("\"No space left on device\"") == true)

    diskFull.store(false, ordering: .relaxed)
    #expect(writer.append(Support.click("kept", at: Support.baseTime)))
    writer.flush()
    #expect(try Support.clickIDs(under: root) == ["kept"])
    // The sequence numbers of the removed files are reused.
    #expect(Support.logFiles(under: root).map { $0.hasSuffix("-000.tsv.gz") } == [true])
    #expect(output.lines.filter { $0.contains("opened log file") }.count == 1)
    #expect(writer.statistics.filesOpened == 1)
    writer.close()
  }

  @Test func failedFsyncCountsUnsyncedEvents() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let failing = Atomic<Bool>(false)
    var configuration = Support.configuration(clock: clock, output: output)
    configuration.fsyncInterval = .seconds(3600)
    configuration.fsyncCall = { descriptor in
      guard !failing.load(ordering: .relaxed) else {
        errno = EIO
        return -1
      }
      return fsync(descriptor)
    }
    let writer = LogWriter(root: root, stream: .clicks, configuration: configuration)
    // Three events in two members wait for the fsync, which then fails at close.
    writer.append(Support.click("a", at: Support.baseTime))
    writer.flush()
    writer.append(Support.click("b", at: Support.baseTime))
    writer.append(Support.click("c", at: Support.baseTime))
    writer.flush()
    failing.store(true, ordering: .relaxed)
    writer.close()
    let statistics = writer.statistics
    #expect(statistics.eventsWritten == 3)
    #expect(statistics.unsyncedEvents == 3)
    #expect(statistics.writeErrors == 1)
    let errors = output.lines.filter { $0.contains("log file operation failed") }
    #expect(errors.first?.contains("error.operation=fsync") == true)
  }

  @Test func repeatedErrorsAreLoggedOncePerInterval() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let writer = LogWriter(
      root: root, stream: .clicks,
      configuration: Support.configuration(clock: clock, output: output))
    #expect(FileManager.default.createFile(atPath: root + "/clicks", contents: Data()))
    for index in 0..<4 {
      writer.append(Support.click("lost-\(index)", at: Support.baseTime))
      writer.flush()
    }
    #expect(writer.statistics.writeErrors == 4)
    #expect(output.lines.filter { $0.contains("log file operation failed") }.count == 1)
    clock.advance(milliseconds: 10_000)
    writer.append(Support.click("lost-again", at: Support.baseTime))
    writer.flush()
    let errors = output.lines.filter { $0.contains("log file operation failed") }
    #expect(errors.count == 2)
    #expect(errors.last?.contains("errors.unlogged=3") == true)
    writer.close()
  }

  @Test func removedStreamFolderIsRecreated() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let writer = LogWriter(
      root: root, stream: .clicks,
      configuration: Support.configuration(clock: clock, output: output))
    #expect(writer.append(Support.click("before", at: Support.baseTime)))
    writer.flush()
    // The writer's file stays open, so without a check its next members would go to a file
    // that no longer has a name.
    try FileManager.default.removeItem(atPath: root + "/clicks")
    for index in 0..<3 {
      #expect(writer.append(Support.click("after-\(index)", at: Support.baseTime)))
    }
    writer.flush()
    #expect(try Support.clickIDs(under: root) == ["after-0", "after-1", "after-2"])
    #expect(writer.statistics.eventsWritten == 4)
    #expect(writer.statistics.writeErrors == 0)
    let warnings = output.lines.filter { $0.contains("log file was removed while open") }
    #expect(warnings.count == 1)
    writer.close()
    #expect(Support.logFiles(under: root).count == 1)
  }

  @Test func removedRootDropsUntilItIsBack() throws {
    let root = try Support.makeTemporaryFolder()
    defer { Support.removeFolder(root) }
    let clock = ManualWallClock(milliseconds: Support.baseTime)
    let output = CapturingLogOutput()
    let writer = LogWriter(
      root: root, stream: .clicks,
      configuration: Support.configuration(clock: clock, output: output))
    #expect(writer.append(Support.click("before", at: Support.baseTime)))
    writer.flush()
    try FileManager.default.removeItem(atPath: root)
    for index in 0..<3 {
      #expect(writer.append(Support.click("lost-\(index)", at: Support.baseTime)))
    }
    writer.flush()
    // A root that vanished is not recreated: it may be an unmounted file system's mount point.
    #expect(!FileManager.default.fileExists(atPath: root))
    #expect(writer.statistics.droppedEvents == 3)
    #expect(writer.statistics.writeErrors == 1)
    let errors = output.lines.filter { $0.contains("log file operation failed") }
    #expect(errors.count == 1)
    #expect(errors.first?.contains("file.path=\(root) ") == true)

    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
    #expect(writer.append(Support.click("kept", at: Support.baseTime)))
    writer.flush()
    #expect(try Support.clickIDs(under: root) == ["kept"])
    let statistics = writer.statistics
    #expect(statistics.eventsAppended == statistics.eventsWritten + statistics.droppedEvents)
    writer.close()
  }
}
