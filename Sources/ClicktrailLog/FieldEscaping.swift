import Glibc

/// The escaping of field values in log lines.
///
/// A value may contain any Unicode text. Four bytes are written as two-byte escapes so that a
/// line never contains a raw tab, line feed or carriage return, and a backslash is never
/// ambiguous: `\` as `\\`, tab as `\t`, LF as `\n`, CR as `\r`. Every other byte is written
/// as it is. A backslash followed by anything else is invalid.
public enum FieldEscaping {
  private static let backslash: UInt8 = 0x5C
  private static let tab: UInt8 = 0x09
  private static let lineFeed: UInt8 = 0x0A
  private static let carriageReturn: UInt8 = 0x0D

  /// Appends the escaped UTF-8 bytes of `value` to `output`.
  /// - Parameter maxBytes: The cap on the unescaped value in bytes; a longer value is cut at
  ///   the last whole UTF-8 character that fits.
  /// - Returns: True when the value was cut.
  @discardableResult
  public static func appendEscaped(_ value: String, maxBytes: Int, to output: inout [UInt8]) -> Bool
  {
    var value = value
    return value.withUTF8 { utf8 in
      var end = utf8.count
      let truncated = end > maxBytes
      if truncated {
        end = maxBytes
        // Step back over continuation bytes (10xxxxxx) so that no character is split.
        while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }
      }
      let head = UnsafeBufferPointer(rebasing: utf8[0..<end])
      // Most values hold no byte to escape and are copied whole.
      guard
        head.contains(where: {
          $0 == backslash || $0 == tab || $0 == lineFeed || $0 == carriageReturn
        })
      else {
        output.append(contentsOf: head)
        return truncated
      }
      for index in 0..<end {
        let byte = utf8[index]
        switch byte {
        case backslash:
          output.append(backslash)
          output.append(backslash)
        case tab:
          output.append(backslash)
          output.append(0x74)
        case lineFeed:
          output.append(backslash)
          output.append(0x6E)
        case carriageReturn:
          output.append(backslash)
          output.append(0x72)
        default: output.append(byte)
        }
      }
      return truncated
    }
  }

  /// Returns the escaped form of `value` as a string.
  public static func escape(_ value: String) -> String {
    var bytes: [UInt8] = []
    appendEscaped(value, maxBytes: Int.max, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Returns whether every backslash in `field` starts a valid escape, as `unescape(_:)`
  /// requires, without copying the field.
  public static func isValid(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = field.baseAddress else { return true }
    var start = 0
    while let found = memchr(base + start, Int32(backslash), field.count - start) {
      let index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
      guard index + 1 < field.count else { return false }
      switch field[index + 1] {
      case backslash, 0x74, 0x6E, 0x72: start = index + 2
      default: return false
      }
    }
    return true
  }

  /// Decodes the escapes in `field`.
  /// - Returns: The unescaped bytes, or nil when the field holds an invalid escape (a
  ///   backslash followed by anything but `\`, `t`, `n` or `r`, or at the end of the field).
  public static func unescape(_ field: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    guard field.contains(backslash) else { return Array(field) }
    var output: [UInt8] = []
    output.reserveCapacity(field.count)
    var index = 0
    while index < field.count {
      let byte = field[index]
      guard byte == backslash else {
        output.append(byte)
        index += 1
        continue
      }
      guard index + 1 < field.count else { return nil }
      switch field[index + 1] {
      case backslash: output.append(backslash)
      case 0x74: output.append(tab)
      case 0x6E: output.append(lineFeed)
      case 0x72: output.append(carriageReturn)
      default: return nil
      }
      index += 2
    }
    return output
  }
}
