import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

@Suite struct LogReaderLineTests {
  @Test func invalidUTF8IsRepairedAndReported() throws {
    let fixture = try LogFixture()
    var text = LogBytes.clicksText(2)
    var bad = LogBytes.clickLine(2)
    bad.insert(0xFF, at: bad.count - 2)
    text += bad
    let (summary, _) = fixture.read(try fixture.write(LogBytes.member(text)))
    #expect(summary.events == 3)
    #expect(summary.problems.map(\.kind) == [.invalidUTF8])
    #expect(summary.problems.first?.line == 4)
  }

  @Test func overlongLineIsSkippedAndTheNextRead() throws {
    let fixture = try LogFixture()
    var text = LogBytes.clicksText(1)
    text += [UInt8](repeating: 0x61, count: 500) + [0x0A]
    text += LogBytes.clickLines(1..<2)
    let (summary, _) = fixture.read(try fixture.write(LogBytes.member(text)), maxLineBytes: 300)
    #expect(summary.lines == 4)
    #expect(summary.events == 2)
    #expect(summary.problems.map(\.kind) == [.overlongLine])
    #expect(summary.problems.first?.line == 3)
  }

  @Test func overlongLineIsSkippedWhileStreaming() throws {
    let fixture = try LogFixture()
    var text = LogBytes.clicksText(1)
    text += [UInt8](repeating: 0x61, count: 300_000) + [0x0A]
    text += LogBytes.clickLines(1..<3)
    let (summary, _) = fixture.read(try fixture.write(try LogBytes.systemGzip(text)))
    #expect(summary.lines == 5)
    #expect(summary.events == 3)
    #expect(summary.problems.map(\.kind) == [.overlongLine])
    #expect(summary.problems.first?.line == 3)
  }

  @Test(arguments: [("plain text", false), ("CT member", true)])
  func lastLineWithoutLineFeedIsIncomplete(_ name: String, compress: Bool) throws {
    let fixture = try LogFixture()
    let text = LogBytes.clicksText(3).dropLast()
    let data = compress ? LogBytes.member(Array(text)) : Array(text)
    let (summary, _) = fixture.read(try fixture.write(data))
    #expect(summary.lines == 4)
    #expect(summary.events == 2)
    #expect(summary.problems.map(\.kind) == [.incompleteLine])
    #expect(summary.problems.first?.line == 4)
  }

  @Test(arguments: [("plain text", false), ("CT member", true)])
  func fileWithoutHeaderIsNotDecoded(_ name: String, compress: Bool) throws {
    let fixture = try LogFixture()
    let text = LogBytes.clickLines(0..<5)
    let data = compress ? LogBytes.member(text) : text
    let (summary, _) = fixture.read(try fixture.write(data))
    #expect(summary.lines == 5)
    #expect(summary.events == 0)
    #expect(summary.problems.map(\.kind) == [.missingHeader])
    #expect(summary.problems.first?.line == 1)
  }

  @Test func rejectedLinesCarryFileLineNumbersAcrossChunks() throws {
    let fixture = try LogFixture()
    var bytes = LogBytes.clicksFile(members: 50, perMember: 10).bytes
    bytes += LogBytes.member(Array("bad line\n".utf8))
    let (summary, _) = fixture.read(try fixture.write(bytes), chunkBytes: 1_000)
    #expect(summary.lines == 502)
    #expect(summary.problems.map(\.kind) == [.rejectedLine])
    #expect(summary.problems.first?.line == 502)
  }
}

@Suite struct LogReaderPathTests {
  @Test func folderExpandsToSortedLogFiles() throws {
    let fixture = try LogFixture()
    let base = fixture.directory.path
    try fixture.write([1], to: "b/2.tsv.gz")
    try fixture.write([1], to: "a.tsv")
    try fixture.write([1], to: "b/1.gz")
    try fixture.write([1], to: "notes.txt")
    let paths = try LogPathExpander.expand([base])
    // Only .tsv.gz and .tsv files are logs: a gzipped export beside them is not read.
    #expect(paths == [base + "/a.tsv", base + "/b/2.tsv.gz"])
  }

  @Test func globExpandsAndDuplicatesAreKeptOnce() throws {
    let fixture = try LogFixture()
    let base = fixture.directory.path
    let first = try fixture.write([1], to: "x1.tsv.gz")
    let second = try fixture.write([1], to: "x2.tsv.gz")
    let paths = try LogPathExpander.expand([base + "/x*.tsv.gz", first])
    #expect(paths == [first, second])
  }

  @Test(arguments: [
    ("/nonexistent/file.tsv.gz", "does not exist"), ("/nonexistent/*.gz", "matches no file"),
  ])
  func argumentNamingNothingThrows(_ argument: String, reason: String) {
    #expect(throws: LogPathError(argument: argument, reason: reason)) {
      try LogPathExpander.expand([argument])
    }
  }
}
