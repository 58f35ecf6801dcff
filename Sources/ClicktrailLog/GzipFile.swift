/// Whole-file gzip helpers for small side files, such as the gateway's export, which need no
/// streaming or damage recovery.
public enum GzipFile {
  /// A gzip file that could not be decompressed.
  public struct DecompressionError: Error, Sendable, CustomStringConvertible {
    public let description: String
  }

  /// Returns whether `bytes` starts with the gzip magic number.
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// Returns `data` as one gzip file of members of at most 1 MiB each, byte-identical for
  /// the same input.
  public static func compress(_ data: [UInt8], level: Int32 = 9) -> [UInt8] {
    let compressor = GzipMemberCompressor(level: level)
    var output: [UInt8] = []
    var start = 0
    repeat {
      let end = min(data.count, start + (1 << 20))
      output += data[start..<end].withUnsafeBytes { compressor.compress($0, stream: .clicks) }
      start = end
    } while start < data.count
    return output
  }

  /// Decompresses every member of the gzip file `bytes`.
  /// - Throws: `DecompressionError` at the first damaged member, naming its byte offset.
  public static func decompress(_ bytes: [UInt8]) throws(DecompressionError) -> [UInt8] {
    var output: [UInt8] = []
    var offset = 0
    let inflater = StreamingInflater()
    while offset < bytes.count {
      let header = bytes[offset...].withUnsafeBytes { GzipMember.parseHeader($0) }
      guard case .header(let parsed) = header else {
        throw DecompressionError(description: "no valid gzip member header at byte \(offset)")
      }
      inflater.reset()
      let dataStart = offset + parsed.headerLength
      let step = bytes[dataStart...].withUnsafeBytes { data in
        inflater.inflate(data) { output.append(contentsOf: $0) }
      }
      guard case .streamEnd(let consumed) = step else {
        throw DecompressionError(description: "the gzip member at byte \(offset) is damaged or cut")
      }
      let trailer = dataStart + consumed
      guard trailer + 8 <= bytes.count else {
        throw DecompressionError(description: "the gzip member at byte \(offset) is cut")
      }
      let checksum = bytes[trailer..<(trailer + 4)].reversed().reduce(UInt32(0)) {
        $0 << 8 | UInt32($1)
      }
      guard checksum == inflater.checksum else {
        throw DecompressionError(description: "the gzip member at byte \(offset) fails its CRC-32")
      }
      offset = trailer + 8
    }
    return output
  }
}
