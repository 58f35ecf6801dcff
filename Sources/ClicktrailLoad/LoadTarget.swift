/// The loopback HTTP URL that a load run requests.
public struct LoadTarget: Sendable, Equatable {
  /// The numeric loopback address: `127.x.y.z` or `::1`.
  public let host: String
  public let port: UInt16
  /// The path and query, starting with `/`.
  public let target: String

  /// Parses `http://HOST:PORT/PATH?QUERY` with a numeric loopback host.
  /// - Throws: `LoadError` when the URL is not plain HTTP, has no port, or its host is not
  ///   a loopback address, because load runs stay on this machine.
  public init(url: String) throws(LoadError) {
    guard url.hasPrefix("http://") else {
      throw LoadError("invalid URL '\(url)': only http:// URLs are supported")
    }

    let rest = url.dropFirst("http://".count)
    let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    target = authorityEnd == rest.endIndex ? "/" : String(rest[authorityEnd...])

    let hostPart: Substring
    let portPart: Substring
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else {
        throw LoadError("invalid URL '\(url)': missing ']' after the IPv6 address")
      }
      hostPart = authority[authority.index(after: authority.startIndex)..<close]
      portPart = authority[authority.index(after: close)...].drop { $0 == ":" }
    } else {
      guard let colon = authority.lastIndex(of: ":") else {
        throw LoadError("invalid URL '\(url)': missing port; write http://127.0.0.1:PORT/...")
      }
      hostPart = authority[..<colon]
      portPart = authority[authority.index(after: colon)...]
    }

    guard let port = UInt16(portPart), port > 0 else {
      throw LoadError("invalid URL '\(url)': the port must be 1 to 65535")
    }
    let ipv4Loopback =
      hostPart.hasPrefix("127.") && hostPart.split(separator: ".").count == 4
      && hostPart.split(separator: ".").allSatisfy { UInt8($0) != nil }
    guard ipv4Loopback || hostPart == "::1" else {
      throw LoadError(
        "invalid URL '\(url)': the host must be a loopback address (127.0.0.1 or [::1])")
    }

    host = String(hostPart)
    self.port = port
  }

  /// Whether the host is the IPv6 loopback address.
  public var isIPv6: Bool { host == "::1" }

  /// The `Host` header field value.
  var hostHeader: String { isIPv6 ? "[::1]:\(port)" : "\(host):\(port)" }
}

/// A load run that could not start or was given invalid settings.
public struct LoadError: Error, Sendable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) {
    self.description = description
  }
}
