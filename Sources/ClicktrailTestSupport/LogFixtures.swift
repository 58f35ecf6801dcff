import ClicktrailLog
import Foundation

/// A temporary folder holding log files built byte by byte for one test.
///
/// This target is shared by the test targets only; the product does not link it.
public final class LogFixture {
  /// The folder, removed when the fixture is released.
  public let directory: URL

  /// Creates an empty folder under the system's temporary folder.
  public init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("clicktrail-reader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: directory)
  }

  /// Writes `bytes` to `name` and returns the path.
  @discardableResult
  public func write(_ bytes: [UInt8], to name: String = "log.tsv.gz") throws -> String {
    let url = directory.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
  }

  /// Reads `path` alone and returns its summary and the records.
  public func read(
    _ path: String, workers: Int = 2, maxLineBytes: Int = LogFormat.maxLineBytes,
    chunkBytes: Int = 4 << 20
  ) -> (summary: LogFileSummary, records: [LogRecord]) {
    let options = LogReadOptions(
      workers: workers, maxLineBytes: maxLineBytes, chunkBytes: chunkBytes)
    let result = LogReader.read(paths: [path], options: options, into: CollectingSink.self)
    return (result.files[0], result.sink.records)
  }
}

/// Builds log text and files with the writer's codec.
public enum LogBytes {
  public static let kinds: [ClickEvent.Kind] = [.visit, .click, .preview]

  /// Returns the clicks line for event number `number`.
  public static func clickLine(_ number: Int) -> [UInt8] {
    var line: [UInt8] = []
    let event = ClickEvent(
      timestamp: Int64(1_764_806_400_000 + number), kind: kinds[number % 3],
      clickID: "c\(number)", campaign: "spring", source: "sms")
    LogLineEncoder.append(event, to: &line)
    return line
  }

  /// Returns the lines for events `numbers`.
  public static func clickLines(_ numbers: Range<Int>) -> [UInt8] {
    numbers.reduce(into: []) { $0 += clickLine($1) }
  }

  /// Returns one `CT` member holding `text`.
  public static func member(_ text: [UInt8], stream: LogStream = .clicks) -> [UInt8] {
    text.withUnsafeBytes { GzipMemberCompressor().compress($0, stream: stream) }
  }

  /// Returns a clicks file of `members` members of `perMember` lines each, the header
  /// heading member 0, and the byte range of each member.
  public static func clicksFile(members: Int, perMember: Int) -> (
    bytes: [UInt8], ranges: [Range<Int>]
  ) {
    var bytes: [UInt8] = []
    var ranges: [Range<Int>] = []
    for index in 0..<members {
      var text = index == 0 ? LogLineEncoder.header(for: .clicks) : []
      text += clickLines((index * perMember)..<((index + 1) * perMember))
      let start = bytes.count
      bytes += member(text)
      ranges.append(start..<bytes.count)
    }
    return (bytes, ranges)
  }

  /// Returns the header and `count` click lines as plain text.
  public static func clicksText(_ count: Int) -> [UInt8] {
    LogLineEncoder.header(for: .clicks) + clickLines(0..<count)
  }

  /// Compresses `text` with the system's gzip, which writes one member without `CT`.
  public static func systemGzip(_ text: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-c", "-n"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let writer = Thread {
      input.fileHandleForWriting.write(Data(text))
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](data)
  }

  /// Returns the number of line feeds that streaming inflation of the member prefix
  /// `prefix` yields.
  public static func lineFeeds(inflatingPrefixOf prefix: ArraySlice<UInt8>) -> Int {
    let inflater = StreamingInflater()
    var count = 0
    let data = Array(prefix.dropFirst(GzipMember.writerHeaderLength))
    _ = data.withUnsafeBytes { inflater.inflate($0) { count += $0.count { $0 == 0x0A } } }
    return count
  }
}
