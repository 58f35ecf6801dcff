import Foundation

/// How much of a visitor's IP address reaches the logs.
public enum IPPrivacy: String, Sendable, CaseIterable {
  /// The whole address.
  case full
  /// IPv4 cut to its /24 network (last byte zero), IPv6 to its /48 network.
  case truncate
  /// No address at all.
  case none

  /// Returns the address as it is to be logged.
  public func apply(_ address: String) -> String {
    switch self {
    case .full: return address
    case .none: return ""
    case .truncate: return Self.truncated(address)
    }
  }

  private static func truncated(_ address: String) -> String {
    var ipv4 = in_addr()
    let isIPv4 = address.withCString { inet_pton(AF_INET, $0, &ipv4) } == 1
    if isIPv4, let lastDot = address.lastIndex(of: ".") {
      return address[...lastDot] + "0"
    }
    var ipv6 = in6_addr()
    guard inet_pton(AF_INET6, address, &ipv6) == 1 else { return "" }
    var bytes = withUnsafeBytes(of: &ipv6) { Array($0) }
    for index in 6..<16 { bytes[index] = 0 }
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    bytes.withUnsafeBytes { raw in
      _ = inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count))
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
