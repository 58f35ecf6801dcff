/// Finds the end of each HTTP/1.1 response in the bytes read from one connection.
///
/// It handles what a redirect service and nginx send: a status line, header fields and a
/// body of `Content-Length` bytes (or none). A chunked or unframed body is reported as
/// unsupported.
struct ResponseFramer {
  /// One complete response.
  struct Response: Equatable {
    let status: Int
    /// Whether the server closes the connection after this response.
    let closesConnection: Bool
  }

  enum Failure: Error, Equatable {
    case malformed
    case unsupportedFraming
  }

  private var buffer: [UInt8] = []

  /// Appends bytes read from the connection.
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    buffer.append(contentsOf: bytes)
  }

  /// Removes and returns the first complete response, or nil when more bytes are needed.
  mutating func next() throws(Failure) -> Response? {
    guard let headerEnd = Self.headerEnd(in: buffer) else { return nil }
    let header = String(decoding: buffer[..<headerEnd], as: UTF8.self)
    let lines = header.split(separator: "\r\n", omittingEmptySubsequences: false)
    let statusWords = lines[0].split(separator: " ", maxSplits: 2)
    guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/1."),
      let status = Int(statusWords[1])
    else { throw .malformed }

    var contentLength: Int?
    var closes = statusWords[0] == "HTTP/1.0"
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingPrefixSpaces().lowercased()
      switch name {
      case "content-length":
        guard let length = Int(value), length >= 0 else { throw .malformed }
        contentLength = length
      case "transfer-encoding":
        throw .unsupportedFraming
      case "connection":
        closes = value.contains("close")
      default:
        break
      }
    }

    let bodyless = status == 204 || status == 304 || (100..<200).contains(status)
    guard let length = bodyless ? 0 : contentLength else { throw .unsupportedFraming }
    let total = headerEnd + 4 + length
    guard buffer.count >= total else { return nil }
    buffer.removeFirst(total)
    return Response(status: status, closesConnection: closes)
  }

  /// Drops every byte, for a connection that is opened again.
  mutating func reset() {
    buffer.removeAll(keepingCapacity: true)
  }

  /// Returns the offset of the `\r\n\r\n` that ends the header, or nil.
  private static func headerEnd(in bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 0...(bytes.count - 4)
    where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13
      && bytes[index + 3] == 10
    {
      return index
    }
    return nil
  }
}

extension Substring {
  fileprivate func trimmingPrefixSpaces() -> Substring {
    drop { $0 == " " || $0 == "\t" }
  }
}
