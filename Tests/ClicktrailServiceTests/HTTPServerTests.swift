import ClicktrailService
import Foundation
import Testing

@Suite struct HTTPServerTests {
  static func echoServer(address: String = "127.0.0.1:0") throws -> HTTPServer {
    try HTTPServer(configuration: .init(address: ListenAddress(parsing: address))) { request in
      let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
      let text =
        "\(request.method) \(request.path) \(query) ua=\(request.headers["user-agent"] ?? "")"
        + " ip=\(request.clientAddress) body=\(String(decoding: request.body, as: UTF8.self))"
      return HTTPResponse(
        status: 200, headers: [("Content-Type", "text/plain"), ("X-Test", "yes")],
        body: Array(text.utf8))
    }
  }

  @Test func servesRequestWithDecodedQuery() throws {
    let server = try Self.echoServer()
    let client = try LoopbackHTTPClient(port: server.port)
    let response = try client.request(
      "GET", "/c/spring?gender=male&note=a%20b%26c", headers: [("User-Agent", "Test/1.0")])
    #expect(response.status == 200)
    #expect(response.header("X-Test") == "yes")
    #expect(response.body == "GET /c/spring gender=male&note=a b&c ua=Test/1.0 ip=127.0.0.1 body=")
  }

  @Test func keepsConnectionAlive() throws {
    let server = try Self.echoServer()
    let client = try LoopbackHTTPClient(port: server.port)
    for index in 0..<20 {
      let response = try client.request("GET", "/n?i=\(index)")
      #expect(response.status == 200)
      #expect(response.header("Connection")?.lowercased() != "close")
    }
  }

  @Test func receivesPostBody() throws {
    let server = try Self.echoServer()
    let client = try LoopbackHTTPClient(port: server.port)
    let response = try client.request(
      "POST", "/postback", headers: [("Content-Type", "text/plain")], body: "cid=abc&payout=1")
    #expect(response.body.hasSuffix("body=cid=abc&payout=1"))
  }

  @Test func servesIPv6Loopback() throws {
    let server = try Self.echoServer(address: "[::1]:0")
    let client = try LoopbackHTTPClient(port: server.port, ipv6: true)
    let response = try client.request("GET", "/x")
    #expect(response.body.contains("ip=::1"))
  }

  @Test func rejectsOversizedHeader() throws {
    let server = try Self.echoServer()
    let client = try LoopbackHTTPClient(port: server.port)
    let response = try client.request(
      "GET", "/x", headers: [("X-Big", String(repeating: "a", count: 200 * 1024))])
    #expect((400..<500).contains(response.status))
  }

  @Test func portInUseFailsToStart() throws {
    let first = try Self.echoServer()
    #expect(throws: HTTPServerError.self) {
      _ = try Self.echoServer(address: "127.0.0.1:\(first.port)")
    }
  }

  @Test(arguments: [
    ("127.0.0.1:8080", "127.0.0.1", 8080, false), ("[::1]:0", "::1", 0, true),
    (":80", "0.0.0.0", 80, false),
  ])
  func parsesListenAddress(text: String, host: String, port: Int, ipv6: Bool) throws {
    let address = try ListenAddress(parsing: text)
    #expect(address.host == host)
    #expect(address.port == UInt16(port))
    #expect(address.isIPv6 == ipv6)
  }

  @Test(arguments: ["localhost:80", "127.0.0.1", "1.2.3.4:99999", "[::1]80", "example.org:80"])
  func rejectsListenAddress(text: String) {
    #expect(throws: ListenAddressError(text: text)) { try ListenAddress(parsing: text) }
  }
}
