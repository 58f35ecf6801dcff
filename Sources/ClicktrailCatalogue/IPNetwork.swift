import Foundation

/// An IPv4 or IPv6 network in CIDR notation, such as `203.0.113.0/24` or `2001:db8::/32`.
public struct IPNetwork: Sendable, Equatable, CustomStringConvertible {
  /// The network address in network byte order: 4 bytes for IPv4, 16 for IPv6.
  public let address: [UInt8]
  /// The number of leading bits that an address must share with `address`.
  public let prefixLength: Int

  /// Parses `text`. A bare address counts as a network of one host.
  /// - Throws: `IPNetworkError` when the address or prefix is invalid or host bits are set.
  public init(parsing text: String) throws(IPNetworkError) {
    let addressText: Substring
    let prefixText: Substring?
    if let slash = text.firstIndex(of: "/") {
      addressText = text[..<slash]
      prefixText = text[text.index(after: slash)...]
    } else {
      addressText = Substring(text)
      prefixText = nil
    }
    guard let bytes = Self.parseAddress(String(addressText)) else {
      throw IPNetworkError("is not an IPv4 or IPv6 address")
    }
    let maximum = bytes.count * 8
    var length = maximum
    if let prefixText {
      guard let parsed = Int(prefixText), prefixText.allSatisfy(\.isASCII),
        prefixText.allSatisfy(\.isNumber), (0...maximum).contains(parsed)
      else {
        throw IPNetworkError("has an invalid prefix length; use 0 to \(maximum)")
      }
      length = parsed
    }
    let masked = Self.mask(bytes, prefixLength: length)
    guard masked == bytes else {
      let suggestion = IPNetwork(address: masked, prefixLength: length)
      throw IPNetworkError("has host bits set; the network is \(suggestion)")
    }
    address = bytes
    prefixLength = length
  }

  private init(address: [UInt8], prefixLength: Int) {
    self.address = address
    self.prefixLength = prefixLength
  }

  /// Returns whether the address `text` is inside this network; false for an invalid address
  /// or one of the other IP version.
  public func contains(_ text: String) -> Bool {
    guard let bytes = Self.parseAddress(text), bytes.count == address.count else { return false }
    return Self.mask(bytes, prefixLength: prefixLength) == address
  }

  /// The network in CIDR notation.
  public var description: String {
    var storage = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let family = address.count == 4 ? AF_INET : AF_INET6
    _ = address.withUnsafeBytes { bytes in
      inet_ntop(family, bytes.baseAddress, &storage, socklen_t(storage.count))
    }
    let prefix = storage.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return "\(String(decoding: prefix, as: UTF8.self))/\(prefixLength)"
  }

  private static func parseAddress(_ text: String) -> [UInt8]? {
    var v4 = [UInt8](repeating: 0, count: 4)
    if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
    var v6 = [UInt8](repeating: 0, count: 16)
    if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
    return nil
  }

  private static func mask(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
    bytes.enumerated().map { index, byte in
      let bits = min(max(prefixLength - index * 8, 0), 8)
      return bits == 8 ? byte : byte & ~(UInt8.max >> bits)
    }
  }
}

/// A reason why a CIDR string is invalid, phrased to follow the value.
public struct IPNetworkError: Error, Sendable, Equatable {
  /// The problem, phrased to follow the quoted value.
  public let message: String

  init(_ message: String) { self.message = message }
}
