import ClicktrailCatalogue
import Testing

@Suite struct IPNetworkTests {
  @Test func ipv4Membership() throws {
    let network = try IPNetwork(parsing: "203.0.113.0/24")
    #expect(network.contains("203.0.113.200"))
    #expect(!network.contains("203.0.114.1"))
    #expect(!network.contains("2001:db8::1"))
    #expect(!network.contains("not an address"))
    #expect(network.description == "203.0.113.0/24")
  }

  @Test func ipv6Membership() throws {
    let network = try IPNetwork(parsing: "2001:db8:10::/48")
    #expect(network.contains("2001:db8:10:ffff::1"))
    #expect(!network.contains("2001:db8:11::1"))
    #expect(network.description == "2001:db8:10::/48")
  }

  @Test func bareAddressIsOneHost() throws {
    let network = try IPNetwork(parsing: "198.51.100.7")
    #expect(network.prefixLength == 32)
    #expect(network.contains("198.51.100.7"))
    #expect(!network.contains("198.51.100.8"))
  }

  @Test func zeroPrefixMatchesAll() throws {
    #expect(try IPNetwork(parsing: "0.0.0.0/0").contains("192.0.2.1"))
  }

  @Test(arguments: [
    "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "::/129", "10.0.0.1/8", "fe80::1%eth0",
  ])
  func invalidNetworkIsRejected(text: String) {
    #expect(throws: IPNetworkError.self) { try IPNetwork(parsing: text) }
  }
}
