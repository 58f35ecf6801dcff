import Foundation

/// A minimal blocking HTTP/1.1 client for tests: it talks to a server on loopback only,
/// sends raw request bytes and parses the status, header fields and body of each response,
/// so that tests see exactly what the service sends (no redirect following, no cookies).
final class LoopbackHTTPClient {
  struct Response {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    func header(_ name: String) -> String? {
      headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }
  }

  struct ClientError: Error, CustomStringConvertible {
    let description: String
  }

  private let socket: Int32
  private var buffer: [UInt8] = []

  /// Connects to `port` on 127.0.0.1 (or ::1 when `ipv6` is true).
  init(port: UInt16, ipv6: Bool = false) throws {
    socket = Foundation.socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw ClientError(description: "socket failed") }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let status: Int32
    if ipv6 {
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = port.bigEndian
      address.sin6_addr = in6addr_loopback
      status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    } else {
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = port.bigEndian
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    }
    guard status == 0 else {
      // No close here: a class whose properties are all set runs deinit when its init throws,
      // and a second close could close a descriptor that another thread has just opened.
      throw ClientError(description: "connect to port \(port) failed: errno \(errno)")
    }
  }

  deinit {
    if socket >= 0 { close(socket) }
  }

  /// Sends a request and reads its response on the same connection.
  func request(
    _ method: String, _ target: String, headers: [(String, String)] = [], body: String = ""
  ) throws -> Response {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
    text += "\r\n" + body
    try sendAll(Array(text.utf8))
    return try readResponse(headOnly: method == "HEAD")
  }

  /// Sends raw bytes as they are, for malformed or oversized requests.
  func sendAll(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
      guard sent > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
      offset += sent
    }
  }

  /// Reads one response.
  func readResponse(headOnly: Bool = false) throws -> Response {
    let headEnd = try readUntil(Array("\r\n\r\n".utf8))
    let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
    buffer.removeSubrange(..<(headEnd + 4))
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
      throw ClientError(description: "malformed status line in: \(head)")
    }
    let headers = lines.compactMap { line -> (name: String, value: String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]),
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
    var response = Response(status: status, headers: headers, body: "")
    let length = headOnly ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
    while buffer.count < length { try receiveMore() }
    response.body = String(decoding: buffer[..<length], as: UTF8.self)
    buffer.removeSubrange(..<length)
    return response
  }

  /// Returns whether the server closed the connection (a read returns end of file).
  func serverClosed() -> Bool {
    var byte: UInt8 = 0
    return recv(socket, &byte, 1, 0) == 0
  }

  private func readUntil(_ marker: [UInt8]) throws -> Int {
    while true {
      if buffer.count >= marker.count {
        for start in 0...(buffer.count - marker.count)
        where buffer[start..<(start + marker.count)].elementsEqual(marker) {
          return start
        }
      }
      try receiveMore()
    }
  }

  private func receiveMore() throws {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { throw ClientError(description: "connection closed or timed out") }
    buffer.append(contentsOf: chunk[..<count])
  }
}
