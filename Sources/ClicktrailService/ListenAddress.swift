import Foundation

/// An address and port to listen on, parsed from `HOST:PORT`, `[IPV6]:PORT` or `:PORT`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
  /// The numeric host, `0.0.0.0` or `::` for every interface.
  public let host: String
  /// The port; 0 lets the system choose one.
  public let port: UInt16
  /// Whether the host is an IPv6 address.
  public let isIPv6: Bool

  /// Parses `text`.
  /// - Throws: `ListenAddressError` naming the text and the expected form.
  public init(parsing text: String) throws(ListenAddressError) {
    let hostPart: Substring
    let portPart: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]"),
        text[text.index(after: close)...].hasPrefix(":")
      else { throw ListenAddressError(text: text) }
      hostPart = text[text.index(after: text.startIndex)..<close]
      portPart = text[text.index(close, offsetBy: 2)...]
    } else {
      guard let colon = text.lastIndex(of: ":") else { throw ListenAddressError(text: text) }
      hostPart = text[..<colon]
      portPart = text[text.index(after: colon)...]
    }
    // An IPv6 address must be in brackets, or `::1:8080` would be ambiguous.
    guard let port = UInt16(portPart), !hostPart.contains(":") || text.hasPrefix("[") else {
      throw ListenAddressError(text: text)
    }
    let host = hostPart.isEmpty ? "0.0.0.0" : String(hostPart)
    var ipv4 = in_addr()
    var ipv6 = in6_addr()
    if inet_pton(AF_INET, host, &ipv4) == 1 {
      isIPv6 = false
    } else if inet_pton(AF_INET6, host, &ipv6) == 1 {
      isIPv6 = true
    } else {
      throw ListenAddressError(text: text)
    }
    self.host = host
    self.port = port
  }

  public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

  /// Calls `body` with the address as a `sockaddr`.
  func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
    if isIPv6 {
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = port.bigEndian
      inet_pton(AF_INET6, host, &address.sin6_addr)
      return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
      }
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    inet_pton(AF_INET, host, &address.sin_addr)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
    }
  }
}

/// A listen address that does not parse.
public struct ListenAddressError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text that did not parse.
  public let text: String

  public init(text: String) {
    self.text = text
  }

  public var description: String {
    "invalid listen address '\(text)': expected HOST:PORT with a numeric host, such as "
      + "127.0.0.1:8080, [::1]:8080 or :8080 for every interface"
  }
}

/// Returns the numeric text form of a socket address, or the empty string.
func numericHost(_ address: UnsafePointer<sockaddr>) -> String {
  var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
  switch Int32(address.pointee.sa_family) {
  case AF_INET:
    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
      var raw = ipv4.pointee.sin_addr
      guard inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "" }
      return String(
        decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
  case AF_INET6:
    return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
      var raw = ipv6.pointee.sin6_addr
      guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "" }
      return String(
        decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
  default:
    return ""
  }
}
