import CLibdeflate
import CZlib

/// Inflates raw deflate data incrementally with zlib, for members whose end is unknown or
/// damaged. Not thread-safe: each reader thread owns one.
public final class StreamingInflater {
  private var stream = z_stream()
  private var chunk = [UInt8](repeating: 0, count: 1 << 16)
  /// The CRC-32 of everything inflated since the last reset.
  public private(set) var checksum: UInt32 = 0
  /// The number of bytes inflated since the last reset.
  public private(set) var inflatedCount = 0

  public init() {
    let status = ct_inflateInit2(&stream, -15)
    precondition(status == Z_OK, "inflateInit2 failed with status \(status)")
  }

  deinit {
    inflateEnd(&stream)
  }

  /// Starts a new deflate stream.
  public func reset() {
    inflateReset(&stream)
    checksum = 0
    inflatedCount = 0
  }

  /// The outcome of feeding input.
  public enum Step: Sendable, Equatable {
    /// All input was consumed and the stream wants more.
    case needsInput
    /// The deflate stream ended after `consumed` bytes of this input.
    case streamEnd(consumed: Int)
    /// The data is not valid deflate, after `consumed` bytes of this input.
    case dataError(consumed: Int, message: String)
  }

  /// Inflates `input`, passing each chunk of output to `sink`.
  public func inflate(
    _ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) -> Void
  ) -> Step {
    guard let base = input.baseAddress, !input.isEmpty else { return .needsInput }
    stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = uInt(input.count)
    while true {
      let status = chunk.withUnsafeMutableBytes { out -> Int32 in
        stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(out.count)
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        let produced = out.count - Int(stream.avail_out)
        if produced > 0 {
          let produced = UnsafeRawBufferPointer(rebasing: out[0..<produced])
          checksum = UInt32(
            crc32(
              uLong(checksum), produced.baseAddress!.assumingMemoryBound(to: Bytef.self),
              uInt(produced.count)))
          inflatedCount += produced.count
          sink(produced)
        }
        return status
      }
      let consumed = input.count - Int(stream.avail_in)
      switch status {
      case Z_STREAM_END:
        return .streamEnd(consumed: consumed)
      case Z_OK:
        if stream.avail_in == 0 && stream.avail_out != 0 { return .needsInput }
      case Z_BUF_ERROR:
        return .needsInput
      default:
        let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
        return .dataError(consumed: consumed, message: message)
      }
    }
  }
}

/// Decompresses whole gzip members with libdeflate, which is faster than zlib's streaming
/// inflate when the member's end is known. Not thread-safe: each reader thread owns one.
public final class WholeMemberDecompressor {
  private let decompressor: OpaquePointer
  /// The largest ISIZE accepted, in bytes; a larger member is left to the streaming path.
  public static let maxInflatedBytes = 256 << 20

  public init() {
    decompressor = libdeflate_alloc_decompressor()
  }

  deinit {
    libdeflate_free_decompressor(decompressor)
  }

  /// The outcome of decompressing a member.
  public enum Outcome: Sendable, Equatable {
    /// The member is sound: header, deflate data, CRC-32 and ISIZE all check.
    case success
    /// The member is not sound; the reason is libdeflate's verdict.
    case failure(String)
  }

  /// Decompresses the complete gzip member `member` into `output`, replacing its contents.
  public func decompress(member: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Outcome {
    guard member.count >= 18 else { return .failure("member is shorter than 18 bytes") }
    let inflatedSize = Int(member.loadUnaligned(fromByteOffset: member.count - 4, as: UInt32.self))
    guard inflatedSize <= Self.maxInflatedBytes else {
      return .failure("ISIZE \(inflatedSize) exceeds the whole-member limit")
    }
    if output.count != inflatedSize {
      // libdeflate writes every byte on success; on failure the output is not used.
      output = .uninitialized(count: inflatedSize)
    }
    var consumed = 0
    var produced = 0
    let status = output.withUnsafeMutableBytes { out in
      libdeflate_gzip_decompress_ex(
        decompressor, member.baseAddress, member.count, out.baseAddress, out.count, &consumed,
        &produced)
    }
    switch status {
    case LIBDEFLATE_SUCCESS:
      guard consumed == member.count else {
        return .failure("the gzip data ends \(member.count - consumed) bytes before the member")
      }
      guard produced == inflatedSize else { return .failure("ISIZE does not match the data") }
      return .success
    case LIBDEFLATE_BAD_DATA:
      return .failure("invalid deflate data or CRC-32 mismatch")
    case LIBDEFLATE_INSUFFICIENT_SPACE, LIBDEFLATE_SHORT_OUTPUT:
      return .failure("ISIZE does not match the data")
    default:
      return .failure("libdeflate status \(status.rawValue)")
    }
  }
}
