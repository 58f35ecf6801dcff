import Glibc

/// A read-only file read at explicit offsets with pread(2), so that several threads can
/// share nothing but the path.
final class LogFileHandle {
  /// The file's size in bytes when it was opened.
  let size: Int
  private let descriptor: Int32

  /// Opens `path` for reading.
  /// - Throws: `LogReadFailure` with the system's reason.
  init(path: String) throws(LogReadFailure) {
    // O_NONBLOCK keeps a named pipe from blocking the open; only regular files are read.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { throw LogReadFailure(errno: errno) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      let error = LogReadFailure(errno: errno)
      close(descriptor)
      throw error
    }
    guard status.st_mode & S_IFMT != S_IFDIR else {
      close(descriptor)
      throw LogReadFailure(errno: EISDIR)
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw LogReadFailure("not a regular file")
    }
    self.descriptor = descriptor
    self.size = Int(status.st_size)
  }

  deinit {
    close(descriptor)
  }

  /// Reads up to `count` bytes at `offset`, fewer only at the end of the file.
  /// - Throws: `LogReadFailure` when the read fails.
  func read(at offset: Int, count: Int) throws(LogReadFailure) -> [UInt8] {
    var buffer = [UInt8].uninitialized(count: max(0, count))
    let filled = try read(at: offset, into: &buffer)
    if filled < buffer.count { buffer.removeSubrange(filled...) }
    return buffer
  }

  /// Fills `buffer` from `offset` and returns the number of bytes read, fewer than
  /// `buffer.count` only at the end of the file.
  /// - Throws: `LogReadFailure` when the read fails.
  func read(at offset: Int, into buffer: inout [UInt8]) throws(LogReadFailure) -> Int {
    var filled = 0
    while filled < buffer.count {
      let result = buffer.withUnsafeMutableBytes { bytes in
        pread(descriptor, bytes.baseAddress! + filled, bytes.count - filled, off_t(offset + filled))
      }
      if result < 0 {
        if errno == EINTR { continue }
        throw LogReadFailure(errno: errno)
      }
      if result == 0 { break }
      filled += result
    }
    return filled
  }
}

/// A failed read of a log file, with the system's description of the error.
struct LogReadFailure: Error, CustomStringConvertible {
  let description: String

  init(errno code: Int32) {
    description = String(cString: strerror(code))
  }

  init(_ description: String) {
    self.description = description
  }
}

extension [UInt8] {
  /// Returns an array of `count` bytes whose contents are whatever the allocator left, for
  /// buffers that a read or a decompressor fills before any byte is used: zeroing a
  /// megabyte per file cost more than reading a small file.
  static func uninitialized(count: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  }
}
