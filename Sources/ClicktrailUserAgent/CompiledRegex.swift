import CPCRE2

/// A failure to compile a pattern, with PCRE2's message and the offset it points at.
struct RegexCompileError: Error, Sendable {
  let message: String
  /// The offset in bytes into the pattern where PCRE2 stopped.
  let offset: Int
}

/// A PCRE2 pattern compiled once, in UTF mode, and JIT-compiled when PCRE2 supports it.
///
/// Compiled code, JIT code included, is read-only while matching, so one instance may be shared
/// between threads as long as each thread matches into its own `RegexMatchData` (pcre2api(3),
/// "Multithreading").
final class CompiledRegex: @unchecked Sendable {
  let pattern: String
  let captureCount: Int
  let isJITCompiled: Bool
  private let code: OpaquePointer

  init(pattern: String, caseInsensitive: Bool) throws(RegexCompileError) {
    var options = UInt32(PCRE2_UTF)
    if caseInsensitive {
      options |= UInt32(PCRE2_CASELESS)
    }
    var errorCode: Int32 = 0
    var errorOffset = 0
    let compiled = Array(pattern.utf8).withUnsafeBufferPointer { bytes in
      ct_pcre2_compile(bytes.baseAddress, bytes.count, options, &errorCode, &errorOffset)
    }
    guard let compiled else {
      throw RegexCompileError(message: Self.message(for: errorCode), offset: errorOffset)
    }
    self.pattern = pattern
    self.code = compiled
    self.captureCount = Int(ct_pcre2_capture_count(compiled))
    // JIT compilation fails where PCRE2 was built without JIT support or memory runs out.
    // Matching then falls back to the interpreter, which gives the same results more slowly.
    self.isJITCompiled = ct_pcre2_jit_compile(compiled) == 0
  }

  deinit {
    ct_pcre2_code_free(code)
  }

  /// Matches `subject`, which must be valid UTF-8, anywhere in its bytes. Returns false when
  /// there is no match, and also when PCRE2 gives up with an error such as its match limit.
  func firstMatch(in subject: UnsafeBufferPointer<UInt8>, into data: RegexMatchData) -> Bool {
    guard let base = subject.baseAddress else {
      // An empty buffer may have no base address, but PCRE2 needs a valid pointer.
      let empty: [UInt8] = [0]
      return empty.withUnsafeBufferPointer { match($0.baseAddress!, length: 0, into: data) }
    }
    return match(base, length: subject.count, into: data)
  }

  private func match(
    _ subject: UnsafePointer<UInt8>, length: Int, into data: RegexMatchData
  ) -> Bool {
    let options = UInt32(PCRE2_NO_UTF_CHECK)
    var result = ct_pcre2_match(code, subject, length, options, data.pointer)
    if result == PCRE2_ERROR_JIT_STACKLIMIT {
      // The JIT's default 32 KiB stack is too small for this subject. The interpreter keeps
      // its backtracking state on the heap, so only PCRE2's heap limit bounds it.
      result = ct_pcre2_match(code, subject, length, options | UInt32(PCRE2_NO_JIT), data.pointer)
    }
    data.setCount = result > 0 ? Int(result) : 0
    return result > 0
  }

  static func message(for errorCode: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let length = ct_pcre2_error_message(errorCode, &buffer, buffer.count)
    guard length > 0 else { return "PCRE2 error \(errorCode)" }
    return String(decoding: buffer[..<Int(length)], as: UTF8.self)
  }
}

/// The capture offsets of one match. Each thread needs its own, because matching writes to it.
final class RegexMatchData {
  let pointer: OpaquePointer
  /// The number of offset pairs the last match set: 1 + the highest group that took part.
  fileprivate(set) var setCount = 0

  /// Creates match data with room for `captureCount` groups plus the whole match.
  init(captureCount: Int) {
    guard let pointer = ct_pcre2_match_data_create(UInt32(captureCount + 1)) else {
      fatalError("PCRE2 could not allocate match data for \(captureCount) groups")
    }
    self.pointer = pointer
  }

  deinit {
    ct_pcre2_match_data_free(pointer)
  }

  /// Returns the byte range of group `index` in the subject of the last successful match, or
  /// nil when that group took no part in it or the pattern has no such group.
  func range(ofGroup index: Int) -> Range<Int>? {
    guard index >= 0, index < setCount else { return nil }
    let offsets = ct_pcre2_ovector(pointer)!
    let start = offsets[2 * index]
    let end = offsets[2 * index + 1]
    guard ct_pcre2_is_unset(start) == 0, ct_pcre2_is_unset(end) == 0, start <= end else {
      return nil
    }
    return start..<end
  }
}
