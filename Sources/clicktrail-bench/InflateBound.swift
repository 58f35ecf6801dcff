import CLibdeflate
import CZlib
import ClicktrailLog
import Dispatch
import Foundation
import Synchronization

// The inflate bound of a report: the time to decompress the same log files and do nothing
// else, with libdeflate (as the reader does) and with zlib, on a given number of threads.
// Files are handed out to the threads one at a time, as the reader hands out its tasks.

/// Inflates every gzip member of `file` with libdeflate and returns the inflated bytes.
private func inflateWithLibdeflate(
  _ file: [UInt8], decompressor: OpaquePointer, output: inout [UInt8]
) -> Int {
  var total = 0
  var offset = 0
  while offset < file.count {
    var consumed = 0
    var produced = 0
    let status = file.withUnsafeBytes { input in
      output.withUnsafeMutableBytes { out in
        libdeflate_gzip_decompress_ex(
          decompressor, input.baseAddress! + offset, input.count - offset, out.baseAddress,
          out.count, &consumed, &produced)
      }
    }
    if status == LIBDEFLATE_INSUFFICIENT_SPACE {
      output = [UInt8](repeating: 0, count: output.count * 2)
      continue
    }
    guard status == LIBDEFLATE_SUCCESS, consumed > 0 else { break }
    total += produced
    offset += consumed
  }
  return total
}

/// Inflates every gzip member of `file` with zlib's streaming inflate and returns the
/// inflated bytes.
private func inflateWithZlib(_ file: [UInt8], output: inout [UInt8]) -> Int {
  var stream = z_stream()
  // 15 + 16: a gzip wrapper with the largest window.
  guard ct_inflateInit2(&stream, 31) == Z_OK else { return 0 }
  defer { inflateEnd(&stream) }
  var total = 0
  file.withUnsafeBytes { input in
    stream.next_in = UnsafeMutablePointer(
      mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = uInt(input.count)
    output.withUnsafeMutableBytes { out in
      while stream.avail_in > 0 {
        stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(out.count)
        let status = inflate(&stream, Z_NO_FLUSH)
        total += out.count - Int(stream.avail_out)
        if status == Z_STREAM_END {
          inflateReset(&stream)
        } else if status != Z_OK {
          return
        }
      }
    }
  }
  return total
}

/// Decompresses `paths` on `workers` threads and returns the inflated bytes and seconds.
private func timeInflate(
  _ paths: [String], workers: Int, library: String
) -> (bytes: Int, seconds: Double) {
  let next = Atomic<Int>(0)
  let total = Atomic<Int>(0)
  let start = DispatchTime.now().uptimeNanoseconds
  DispatchQueue.concurrentPerform(iterations: workers) { _ in
    let decompressor = libdeflate_alloc_decompressor()!
    defer { libdeflate_free_decompressor(decompressor) }
    var output = [UInt8](repeating: 0, count: 4 << 20)
    var bytes = 0
    while true {
      let index = next.add(1, ordering: .relaxed).oldValue
      guard index < paths.count, let data = FileManager.default.contents(atPath: paths[index])
      else { break }
      let file = [UInt8](data)
      bytes +=
        library == "zlib"
        ? inflateWithZlib(file, output: &output)
        : inflateWithLibdeflate(file, decompressor: decompressor, output: &output)
    }
    total.add(bytes, ordering: .relaxed)
  }
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  return (total.load(ordering: .relaxed), seconds)
}

/// Prints, for libdeflate and zlib, the inflated bytes of the log files under `arguments`
/// and the time to decompress them on `workers` threads, best of 3, as one line each:
/// `LIBRARY WORKERS COMPRESSED_BYTES INFLATED_BYTES SECONDS`.
func runInflateBound(arguments: [String], workers: Int) throws {
  let paths = try LogPathExpander.expand(arguments).filter { $0.hasSuffix(".gz") }
  let compressed = paths.reduce(0) { total, path in
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return total + (attributes?[.size] as? Int ?? 0)
  }
  for library in ["libdeflate", "zlib"] {
    var best = (bytes: 0, seconds: Double.infinity)
    for _ in 0..<3 {
      let run = timeInflate(paths, workers: workers, library: library)
      if run.seconds < best.seconds { best = run }
    }
    print(
      "\(library) \(workers) \(compressed) \(best.bytes) \(String(format: "%.3f", best.seconds))")
  }
}
