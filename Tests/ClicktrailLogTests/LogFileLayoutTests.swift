import ClicktrailLog
import Foundation
import Testing

@Suite struct LogFileLayoutTests {
  @Test func fileNameFollowsLayout() {
    let name = LogFileLayout.fileName(
      stream: .clicks, date: "2024-03-09", hour: 7, host: "web-1.example", processID: 812,
      sequence: 0)
    #expect(name == "clicks-2024-03-09T07-web-1.example-812-000.tsv.gz")
  }

  @Test func sequenceWidensPastThreeDigits() {
    let name = LogFileLayout.fileName(
      stream: .postbacks, date: "2024-12-31", hour: 23, host: "h", processID: 1, sequence: 1234)
    #expect(name == "postbacks-2024-12-31T23-h-1-1234.tsv.gz")
  }

  @Test(arguments: [
    ("web-1.example", "web-1.example"),
    ("", "unknown"),
    ("host name/with:odd", "host_name_with_odd"),
    ("hôst", "h__st"),
  ])
  func hostNameIsSanitised(input: String, expected: String) {
    #expect(LogFileLayout.sanitizedHostName(input) == expected)
  }

  @Test(arguments: [
    LogFileName(
      stream: .clicks, date: "2024-03-09", hour: 0, host: "a-b-c", processID: 7, sequence: 3),
    LogFileName(
      stream: .postbacks, date: "1999-12-31", hour: 23, host: "x_y.z", processID: 2_147_483_647,
      sequence: 10_000),
    LogFileName(
      stream: .clicks, date: "2030-01-01", hour: 12, host: "unknown", processID: 0, sequence: 0),
  ])
  func fileNameParsesBack(fields: LogFileName) {
    #expect(LogFileLayout.parse(fileName: fields.fileName) == fields)
  }

  @Test(arguments: [
    "clicks-2024-03-09T07-host-1-000.tsv",
    "views-2024-03-09T07-host-1-000.tsv.gz",
    "clicks-2024-03-09T24-host-1-000.tsv.gz",
    "clicks-2024-13-09T07-host-1-000.tsv.gz",
    "clicks-2024-03-09T07-host-1-00.tsv.gz",
    "clicks-2024-03-09T07--1-000.tsv.gz",
    "clicks-2024-03-09T07-host-x-000.tsv.gz",
    "clicks-2024-03-09T07-ho st-1-000.tsv.gz",
    "clicks-2024-03-09T07-000.tsv.gz",
  ])
  func malformedFileNameIsRejected(name: String) {
    #expect(LogFileLayout.parse(fileName: name) == nil)
  }

  @Test func dayFolderNestsStreamAndDate() {
    #expect(
      LogFileLayout.dayFolder(root: "/var/log/ct/", stream: .clicks, date: "2024-03-09")
        == "/var/log/ct/clicks/2024-03-09")
  }

  @Test func hourIndexRoundsDownBeforeEpoch() {
    #expect(LogFileLayout.hourIndex(ofMilliseconds: -1) == -1)
    #expect(LogFileLayout.hourIndex(ofMilliseconds: 3_599_999) == 0)
    #expect(LogFileLayout.hourIndex(ofMilliseconds: 3_600_000) == 1)
  }

  @Test func createFileTakesNextFreeSequence() throws {
    let root = try WriterTestSupport.makeTemporaryFolder()
    defer { WriterTestSupport.removeFolder(root) }
    let hourIndex = LogFileLayout.hourIndex(ofMilliseconds: WriterTestSupport.baseTime)
    var sequences: [Int] = []
    for _ in 0..<3 {
      let created = try LogFileLayout.createFile(
        root: root + "/deep/er", stream: .clicks, hourIndex: hourIndex, host: "h",
        processID: 9)
      close(created.descriptor)
      sequences.append(created.sequence)
      #expect(FileManager.default.fileExists(atPath: created.path))
      #expect(created.path.hasPrefix(root + "/deep/er/clicks/2024-03-09/"))
    }
    #expect(sequences == [0, 1, 2])
  }

  @Test func createFileReportsBlockedFolder() throws {
    let root = try WriterTestSupport.makeTemporaryFolder()
    defer { WriterTestSupport.removeFolder(root) }
    #expect(FileManager.default.createFile(atPath: root + "/clicks", contents: Data("x".utf8)))
    #expect(throws: LogFileError.self) {
      try LogFileLayout.createFile(
        root: root, stream: .clicks, hourIndex: 0, host: "h", processID: 9)
    }
  }
}
