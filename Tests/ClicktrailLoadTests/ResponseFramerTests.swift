import Testing

@testable import ClicktrailLoad

@Suite struct ResponseFramerTests {
  static func feed(_ framer: inout ResponseFramer, _ text: String) {
    Array(text.utf8).withUnsafeBytes { framer.append($0) }
  }

  @Test func responseSplitAcrossReads() throws {
    var framer = ResponseFramer()
    Self.feed(&framer, "HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Len")
    #expect(try framer.next() == nil)
    Self.feed(&framer, "gth: 13\r\n\r\nRedirecting")
    #expect(try framer.next() == nil)
    Self.feed(&framer, ".\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\nConnection: close\r\n\r\n")
    #expect(try framer.next() == .init(status: 302, closesConnection: false))
    #expect(try framer.next() == .init(status: 200, closesConnection: true))
    #expect(try framer.next() == nil)
  }

  @Test func chunkedBodyIsUnsupported() {
    var framer = ResponseFramer()
    Self.feed(&framer, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    #expect(throws: ResponseFramer.Failure.unsupportedFraming) { try framer.next() }
  }

  @Test func garbageIsMalformed() {
    var framer = ResponseFramer()
    Self.feed(&framer, "hello\r\n\r\n")
    #expect(throws: ResponseFramer.Failure.malformed) { try framer.next() }
  }
}

@Suite struct LoadTargetTests {
  @Test func parsesLoopbackURL() throws {
    let target = try LoadTarget(url: "http://127.0.0.1:8080/c/spring?g=f")
    #expect(target.host == "127.0.0.1")
    #expect(target.port == 8080)
    #expect(target.target == "/c/spring?g=f")
    let ipv6 = try LoadTarget(url: "http://[::1]:81")
    #expect(ipv6.isIPv6)
    #expect(ipv6.target == "/")
  }

  @Test(arguments: [
    "http://10.0.0.1:80/", "http://example.org:80/", "https://127.0.0.1:443/",
    "http://127.0.0.1/", "http://127.0.0.1:0/", "http://[::2]:80/",
  ])
  func rejectsOtherURLs(_ url: String) {
    #expect(throws: LoadError.self) { try LoadTarget(url: url) }
  }
}
