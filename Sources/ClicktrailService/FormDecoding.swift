/// Decodes `application/x-www-form-urlencoded` text, as postbacks sent by POST carry it.
enum FormDecoding {
  /// Returns the name-value pairs of `body` in order; `+` is a space and `%XX` a byte.
  static func decode(_ body: [UInt8]) -> [QueryItem] {
    body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
      if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
        return QueryItem(
          name: percentDecode(pair[..<equals]),
          value: percentDecode(pair[pair.index(after: equals)...]))
      }
      return QueryItem(name: percentDecode(pair[...]), value: "")
    }
  }

  private static func percentDecode(_ bytes: ArraySlice<UInt8>) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = bytes.startIndex
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte == UInt8(ascii: "+") {
        output.append(0x20)
      } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
        let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
        continue
      } else {
        output.append(byte)
      }
      index += 1
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x46: byte - 0x41 + 10
    case 0x61...0x66: byte - 0x61 + 10
    default: nil
    }
  }
}
