import ClicktrailLog
import Foundation
import Testing

@Suite struct GzipMemberTests {
  @Test func compressedMemberRecordsItsLength() throws {
    let text = Array(String(repeating: "1\tvisit\tabc\n", count: 100).utf8)
    let member = text.withUnsafeBytes { GzipMemberCompressor().compress($0, stream: .clicks) }
    let parse = member.withUnsafeBytes { GzipMember.parseHeader($0) }
    guard case .header(let header) = parse else {
      Issue.record("expected a header, got \(parse)")
      return
    }
    #expect(header.headerLength == GzipMember.writerHeaderLength)
    #expect(header.memberLength == member.count)
    #expect(header.formatVersion == LogFormat.version)
    #expect(header.streamCode == LogStream.clicks.code)
  }

  @Test func wholeMemberDecompressorRestoresData() {
    let text = Array("ts\tevent\n1\tvisit\n".utf8)
    let member = text.withUnsafeBytes { GzipMemberCompressor().compress($0, stream: .clicks) }
    var output: [UInt8] = []
    let outcome = member.withUnsafeBytes {
      WholeMemberDecompressor().decompress(member: $0, into: &output)
    }
    #expect(outcome == .success)
    #expect(output == text)
  }

  @Test func wholeMemberDecompressorRejectsFlippedBit() {
    let text = Array(String(repeating: "some text to compress\n", count: 50).utf8)
    var member = text.withUnsafeBytes { GzipMemberCompressor().compress($0, stream: .clicks) }
    member[member.count - 6] ^= 0x01
    var output: [UInt8] = []
    let outcome = member.withUnsafeBytes {
      WholeMemberDecompressor().decompress(member: $0, into: &output)
    }
    #expect(outcome != .success)
  }

  @Test func streamingInflaterMatchesInput() {
    let text = Array(String(repeating: "abcdefgh\n", count: 20_000).utf8)
    let member = text.withUnsafeBytes { GzipMemberCompressor().compress($0, stream: .postbacks) }
    let inflater = StreamingInflater()
    var output: [UInt8] = []
    let payload = member[GzipMember.writerHeaderLength..<(member.count - 8)]
    let step = payload.withUnsafeBytes { bytes in
      inflater.inflate(bytes) { output.append(contentsOf: $0) }
    }
    #expect(step == .streamEnd(consumed: payload.count))
    #expect(output == text)
  }

  @Test func systemGzipAcceptsConcatenatedMembers() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("clicktrail-gzip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let compressor = GzipMemberCompressor()
    var file: [UInt8] = []
    for part in ["first\n", "second\n", "third\n"] {
      file += Array(part.utf8).withUnsafeBytes { compressor.compress($0, stream: .clicks) }
    }
    let path = directory.appendingPathComponent("members.tsv.gz")
    try Data(file).write(to: path)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -t \"$0\" && gzip -dc \"$0\"", path.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(String(decoding: output, as: UTF8.self) == "first\nsecond\nthird\n")
  }
}

@Suite struct GzipFileTests {
  @Test func compressedFileRoundTrips() throws {
    let text = Array(String(repeating: "From,To,Body\r\n", count: 200_000).utf8)
    let compressed = GzipFile.compress(text)
    #expect(GzipFile.isGzip(compressed))
    #expect(compressed.count < text.count / 10)
    #expect(try GzipFile.decompress(compressed) == text)
  }

  @Test func damagedFileIsRejected() {
    var compressed = GzipFile.compress(Array("a,b\r\n1,2\r\n".utf8))
    compressed[compressed.count - 6] ^= 0x01
    #expect(throws: GzipFile.DecompressionError.self) {
      try GzipFile.decompress(compressed)
    }
  }
}
