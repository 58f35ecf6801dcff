import Foundation

/// A blocking HTTP/1.1 client that sends requests one after another on one keep-alive
/// connection to 127.0.0.1, and reconnects once when the server closed the connection.
/// It connects to no other address.
final class LoopbackClient {
  struct Response {
    var status: Int
    var headers: [(name: String, value: String)]

    /// Returns the last value of the header field `name`, compared without case.
    func header(_ name: String) -> String? {
      headers.last { $0.name.lowercased() == name }?.value
    }

    /// Returns every value of the header field `name`, compared without case.
    func headers(_ name: String) -> [String] {
      headers.filter { $0.name.lowercased() == name }.map(\.value)
    }
  }

  struct ClientError: Error, CustomStringConvertible {
    let description: String
  }

  private let port: UInt16
  private var socket: Int32 = -1
  private var buffer: [UInt8] = []

  /// Connects to `port` on 127.0.0.1.
  init(port: UInt16) throws(ClientError) {
    self.port = port
    try connect()
  }

  deinit {
    if socket >= 0 { close(socket) }
  }

  /// Sends a request without a body and reads its response; the body is read and dropped.
  func send(
    _ method: String, _ target: String, headers: [(String, String)]
  ) throws(ClientError) -> Response {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: go.example.com\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    text += "\r\n"
    let bytes = Array(text.utf8)
    do {
      try sendAll(bytes)
      return try readResponse(headOnly: method == "HEAD")
    } catch {
      // The server may close an idle connection between two requests, so one retry on a new
      // connection follows. A second failure is a real error.
      // NOTE: A failure after the server handled the request would log it twice. On loopback,
      // where requests follow each other without idle gaps, that has not been seen.
      try reconnect()
      try sendAll(bytes)
      return try readResponse(headOnly: method == "HEAD")
    }
  }

  private func connect() throws(ClientError) {
    socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw ClientError(description: "socket failed: errno \(errno)") }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var noDelay: Int32 = 1
    setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(4))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard status == 0 else {
      let code = errno
      close(socket)
      socket = -1
      throw ClientError(description: "cannot connect to 127.0.0.1:\(port): errno \(code)")
    }
  }

  private func reconnect() throws(ClientError) {
    if socket >= 0 { close(socket) }
    buffer.removeAll()
    try connect()
  }

  private func sendAll(_ bytes: [UInt8]) throws(ClientError) {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes {
        Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      guard sent > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
      offset += sent
    }
  }

  private func readResponse(headOnly: Bool) throws(ClientError) -> Response {
    let headEnd = try readUntilBlankLine()
    let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
    buffer.removeSubrange(..<(headEnd + 4))
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
      throw ClientError(description: "malformed status line: \(head.prefix(80))")
    }
    let headers = lines.compactMap { line -> (name: String, value: String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      return (String(line[..<colon]), value)
    }
    let response = Response(status: status, headers: headers)
    let length = headOnly ? 0 : Int(response.header("content-length") ?? "0") ?? 0
    while buffer.count < length { try receiveMore() }
    buffer.removeSubrange(..<length)
    if response.header("connection")?.lowercased() == "close" { try reconnect() }
    return response
  }

  private func readUntilBlankLine() throws(ClientError) -> Int {
    let marker: [UInt8] = [13, 10, 13, 10]
    var searchFrom = 0
    while true {
      if buffer.count >= 4 {
        for start in searchFrom...(buffer.count - 4)
        where buffer[start..<(start + 4)].elementsEqual(marker) {
          return start
        }
        searchFrom = buffer.count - 3
      }
      try receiveMore()
    }
  }

  private func receiveMore() throws(ClientError) {
    var chunk = [UInt8](repeating: 0, count: 16_384)
    let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
    guard count > 0 else {
      throw ClientError(description: "the connection closed or timed out (errno \(errno))")
    }
    buffer.append(contentsOf: chunk[..<count])
  }
}
