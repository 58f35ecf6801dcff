import ClicktrailLog
import ClicktrailSupport
import Foundation
import Testing

/// Shared fixtures of the writer tests: temporary folders, file listing, gzip and decoding.
enum WriterTestSupport {
  /// 2024-03-09T23:10:00Z, fifty minutes before a UTC midnight, in ms since the epoch.
  static let baseTime: Int64 = 1_710_025_800_000
  static let hour: Int64 = 3_600_000
  static let hostName = "test-host.example"
  static let processID: Int32 = 4242

  /// Creates an empty folder under the system's temporary folder and returns its path.
  static func makeTemporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("clicktrail-writer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }

  static func removeFolder(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Returns a configuration whose flusher thread never wakes on its own, so that tests
  /// decide when data is written with `flush()`.
  static func configuration(
    clock: ManualWallClock, output: CapturingLogOutput = CapturingLogOutput(),
    flushInterval: Duration = .seconds(3600), maxMemberBytes: Int = 1 << 20,
    maxFileBytes: Int = 256 << 20, maxQueueBytes: Int = 16 << 20
  ) -> LogWriterConfiguration {
    LogWriterConfiguration(
      flushInterval: flushInterval, maxMemberBytes: maxMemberBytes, maxFileBytes: maxFileBytes,
      fsyncInterval: .zero, maxQueueBytes: maxQueueBytes, hostName: hostName,
      processID: processID, clock: clock,
      logger: Logger(label: "clicktrail.writer", level: .trace, output: output, clock: clock))
  }

  static func click(_ id: String, at timestamp: Int64) -> ClickEvent {
    ClickEvent(
      timestamp: timestamp, kind: .visit, clickID: id, campaign: "spring-sale",
      source: "sms", lander: "l1", params: "age=25-34", ip: "203.0.113.9",
      userAgent: "Mozilla/5.0")
  }

  /// Returns the paths of every log file under `root`, sorted.
  static func logFiles(under root: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: root)
    var paths: [String] = []
    while let relative = enumerator?.nextObject() as? String {
      if relative.hasSuffix(LogFormat.fileSuffix) { paths.append(root + "/" + relative) }
    }
    return paths.sorted()
  }

  static func readBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// Runs `gzip` with `arguments` and returns its exit status and standard output.
  static func runGzip(_ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, Array(output))
  }

  /// Splits decompressed text into lines without their line feeds.
  static func lines(of text: [UInt8]) -> [[UInt8]] {
    var lines = text.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  /// Decodes a file's decompressed text: its first line must be a header, the rest data lines.
  static func decode(text: [UInt8]) throws -> (header: String, records: [LogRecord]) {
    let allLines = lines(of: text)
    guard let headerLine = allLines.first else { return ("", []) }
    let schema = try headerLine.withUnsafeBufferPointer { try LogSchema(headerLine: $0) }
    let records = try allLines.dropFirst().map { line in
      try line.withUnsafeBufferPointer { try schema.decode(line: $0).record }
    }
    return (String(decoding: headerLine, as: UTF8.self), records)
  }

  /// Decompresses a log file with the system's `gzip -dc` and decodes it.
  static func decodeWithGzip(_ path: String) throws -> (header: String, records: [LogRecord]) {
    let result = try runGzip(["-dc", path])
    #expect(result.status == 0, "gzip -dc failed on \(path)")
    return try decode(text: result.output)
  }

  /// Returns the click IDs of every click record in every file under `root`.
  static func clickIDs(under root: String) throws -> [String] {
    var ids: [String] = []
    for path in logFiles(under: root) {
      for record in try decodeWithGzip(path).records {
        if case .click(let event) = record { ids.append(event.clickID) }
      }
    }
    return ids
  }

  /// Splits file bytes into members by the `CT` length in each header.
  /// - Returns: The complete members, and the number of bytes after them that do not form a
  ///   complete member (a torn tail).
  static func members(of bytes: [UInt8]) -> (members: [[UInt8]], tailBytes: Int) {
    var members: [[UInt8]] = []
    var offset = 0
    while offset < bytes.count {
      let parse = bytes[offset...].withUnsafeBytes { GzipMember.parseHeader($0) }
      guard case .header(let header) = parse, let length = header.memberLength,
        offset + length <= bytes.count
      else { break }
      members.append(Array(bytes[offset..<(offset + length)]))
      offset += length
    }
    return (members, bytes.count - offset)
  }

  /// Decompresses one complete member with libdeflate, or returns nil when it is damaged.
  static func inflate(member: [UInt8]) -> [UInt8]? {
    var output: [UInt8] = []
    let outcome = member.withUnsafeBytes {
      WholeMemberDecompressor().decompress(member: $0, into: &output)
    }
    return outcome == .success ? output : nil
  }
}
