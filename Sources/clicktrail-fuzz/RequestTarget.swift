import CMicroHTTPD
import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailService
import ClicktrailSupport
import Foundation

/// Sends the input as HTTP requests to a `RedirectService`, and checks every response and
/// the events it logged.
///
/// The input contains requests separated by 0xFF bytes. Each is `METHOD TARGET`, then header
/// lines `name: value`, an empty line and the body. A `client: ADDRESS` line sets the peer
/// address. `@cid` and `@vid` are replaced by the click ID and visitor key of the last visit
/// redirected, so that a click or postback can follow a visit. The target is split into path
/// and query arguments as libmicrohttpd 0.9 does: at the first `?`, then at `&` and the
/// first `=`, with `+` as a space in arguments and `%XX` decoded by libmicrohttpd's own
/// `MHD_http_unescape`.
enum RequestTarget {
  static let secrets = ["plain-secret-0123456789", "signed-secret-0123456789"]
  static let hmacSecret = "hmac-key-0123456789abcdef"
  static let fencedSecret = "fenced-secret-0123456789"

  /// The catalogue of the requests, sends and report targets.
  static let catalogueText = """
    {
      "service": { "public_url": "https://go.example.com", "cookie_domain": "go.example.com" },
      "traffic_sources": [
        { "name": "gateway", "parameters": ["gender", "age"], "placeholder": "REPLACE",
          "cost_model": { "type": "per_message", "value": 0.01, "currency": "EUR" } }
      ],
      "landers": [
        { "key": "quiz",
          "url": "https://lp.example.org/quiz/?cid={clickid}&g={param:gender}&c={campaign}" },
        { "key": "story", "url": "http://lp.example.org:8080/s/{param:age}/{source}#{clickid}" }
      ],
      "offers": [
        { "key": "trial",
          "url": "https://offers.example.net/go?sub1={clickid}&l={lander}&a={param:age}",
          "payout": 2.5, "currency": "USD" },
        { "key": "annual", "url": "https://[2001:db8::5]/o/{offer}?s={clickid}",
          "payout": 11, "currency": "USD" }
      ],
      "networks": [
        { "key": "plain", "secret": "\(secrets[0])" },
        { "key": "signed", "secret": "\(secrets[1])", "hmac_secret": "\(hmacSecret)" },
        { "key": "fenced", "secret": "\(fencedSecret)",
          "ip_allowlist": ["203.0.113.0/24", "2001:db8:10::/48"] }
      ],
      "campaigns": [
        { "key": "spring", "source": "gateway",
          "destination": { "landers": [{ "key": "quiz", "weight": 2 }, { "key": "story", "weight": 1 }],
                           "offers": [{ "key": "trial", "weight": 1 }, { "key": "annual", "weight": 1 }] } },
        { "key": "direct", "source": "gateway",
          "destination": { "offers": [{ "key": "annual", "weight": 1 }] } }
      ],
      "short_links": [
        { "code": "k7Qx2", "campaign": "spring", "params": { "gender": "male", "age": "25-34" } }
      ]
    }
    """

  static let catalogue: Catalogue = {
    do {
      return try Catalogue.decode(Data(catalogueText.utf8))
    } catch {
      fatalError("the fuzz catalogue is invalid: \(error)")
    }
  }()

  /// The scheme and host of every lander and offer URL, which every redirect must keep.
  static let destinations: Set<String> = Set(
    (catalogue.landers.map(\.url) + catalogue.offers.map(\.url)).map { template in
      let components = URLComponents(
        string: template.text.replacingOccurrences(of: "{", with: "")
          .replacingOccurrences(of: "}", with: ""))!
      return "\(components.scheme!)://\(components.host!)"
    })

  static let quiet = Logger(label: "fuzz", level: .critical, output: CapturingLogOutput())

  static func run(_ data: UnsafeRawBufferPointer) {
    let clock = ManualWallClock(milliseconds: 1_762_333_200_000)
    var configuration = RedirectService.Configuration()
    configuration.clock = clock
    configuration.random = SeededRandomSource(seed: 7)
    configuration.recentVisitCapacity = 8
    configuration.logger = quiet
    let root = ScratchFolder.path + "/requests"
    let log = EventLog(
      root: root,
      configuration: LogWriterConfiguration(
        flushInterval: .seconds(3600), fsyncInterval: .seconds(3600), hostName: "fuzz",
        processID: 1, clock: clock, logger: quiet))
    let service = RedirectService(catalogue: catalogue, log: log, configuration: configuration)
    var last: (clickID: String, visitor: String) = ("", "")
    var logged = (clicks: 0, postbacks: 0)
    for text in data.split(separator: 0xFF, omittingEmptySubsequences: false).prefix(8) {
      var bytes = Array(text)
      bytes = replace(Array("@cid".utf8), with: Array(last.clickID.utf8), in: bytes)
      bytes = replace(Array("@vid".utf8), with: Array(last.visitor.utf8), in: bytes)
      guard let request = parseRequest(bytes) else { continue }
      let response = service.handle(request)
      if FuzzMain.verbose {
        let location = response.headers.first { $0.name == "Location" }?.value ?? ""
        print(
          "\(request.method) \(request.path) \(request.query) -> \(response.status) \(location)")
      }
      check(response, for: request)
      if response.status == 302, let ids = visitCookies(response) { last = ids }
      if let commit = response.onQueued {
        commit()
        if request.path == "/postback" { logged.postbacks += 1 } else { logged.clicks += 1 }
      }
    }
    log.close()
    checkLogs(root: root, clicks: logged.clicks, postbacks: logged.postbacks)
    try? FileManager.default.removeItem(atPath: root)
  }

  // MARK: - Requests

  private static func parseRequest(_ bytes: [UInt8]) -> HTTPRequest? {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)[...]
    guard let requestLine = lines.popFirst(),
      let space = requestLine.firstIndex(of: 0x20)
    else { return nil }
    let method = String(decoding: requestLine[..<space], as: UTF8.self)
    let target = Array(requestLine[(space + 1)...])
    // libmicrohttpd ends the request line at CR and rejects control bytes in the target.
    guard !method.isEmpty, !target.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
      return nil
    }
    var headers: [String: String] = [:]
    var client = "198.51.100.23"
    while let line = lines.popFirst(), !line.isEmpty {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
      let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
      let raw = line[(colon + 1)...].filter { $0 != 0 && $0 != 0x0D }
      let value = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      if name == "client" {
        client = value
      } else if headers[name] == nil {
        headers[name] = value
      }
    }
    let body = Array(lines.joined(separator: [0x0A]))
    let question = target.firstIndex(of: UInt8(ascii: "?"))
    var path = unescape(Array(target[..<(question ?? target.endIndex)]), plus: false)
    // The handler receives the path as a C string, so a decoded %00 ends it.
    if let nul = path.firstIndex(of: 0) { path.removeSubrange(nul...) }
    var query: [QueryItem] = []
    if let question {
      for pair in target[(question + 1)...].split(separator: UInt8(ascii: "&")) {
        let equals = pair.firstIndex(of: UInt8(ascii: "="))
        let name = unescape(Array(pair[..<(equals ?? pair.endIndex)]), plus: true)
        let value = equals.map { unescape(Array(pair[($0 + 1)...]), plus: true) } ?? []
        query.append(
          QueryItem(
            name: String(decoding: name, as: UTF8.self),
            value: String(decoding: value, as: UTF8.self)))
      }
    }
    return HTTPRequest(
      method: method, path: String(decoding: path, as: UTF8.self), query: query,
      headers: headers, body: body, clientAddress: client)
  }

  /// Decodes `%XX` escapes with libmicrohttpd, after turning `+` into a space when `plus`.
  private static func unescape(_ bytes: [UInt8], plus: Bool) -> [UInt8] {
    var text = bytes.map { plus && $0 == UInt8(ascii: "+") ? CChar(0x20) : CChar(bitPattern: $0) }
    text.append(0)
    let length = text.withUnsafeMutableBufferPointer { MHD_http_unescape($0.baseAddress) }
    return text.prefix(length).map { UInt8(bitPattern: $0) }
  }

  private static func replace(_ token: [UInt8], with value: [UInt8], in bytes: [UInt8]) -> [UInt8] {
    guard !token.isEmpty else { return bytes }
    var result: [UInt8] = []
    var index = 0
    while index < bytes.count {
      if bytes[index...].starts(with: token) {
        result += value
        index += token.count
      } else {
        result.append(bytes[index])
        index += 1
      }
    }
    return result
  }

  // MARK: - Checks

  private static func check(_ response: HTTPResponse, for request: HTTPRequest) {
    let known: Set<Int> = [200, 302, 400, 403, 404, 405, 415]
    FuzzCheck.require(known.contains(response.status), "status \(response.status)")
    for (name, value) in response.headers {
      // libmicrohttpd rejects such a field and closes the connection without a response.
      FuzzCheck.require(
        !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 },
        "header \(name) has a control character: \(value.debugDescription)")
    }
    if response.status == 302 {
      let location = response.headers.first { $0.name == "Location" }?.value
      guard let location else {
        FuzzCheck.require(false, "302 without Location")
        return
      }
      FuzzCheck.require(
        location.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F },
        "Location has a byte outside printable ASCII: \(location.debugDescription)")
      let components = URLComponents(string: location)
      let origin = components.map { "\($0.scheme ?? "")://\($0.host ?? "")" }
      FuzzCheck.require(
        origin.map(destinations.contains) == true,
        "Location \(location) leaves the catalogue's hosts (\(origin ?? "unparsable"))")
    }
    for (name, value) in response.headers where name == "Set-Cookie" {
      let pair = value.prefix { $0 != ";" }
      FuzzCheck.require(
        pair.utf8.allSatisfy(isCookieByte) && pair.contains("="),
        "Set-Cookie pair \(pair.debugDescription) has bytes a cookie value cannot hold")
    }
    if request.path == "/postback" && response.status == 200 {
      let offered = Set(
        request.query.filter { ["secret", "token"].contains($0.name) }.map(\.value)
          + FormDecodingProbe.values(request))
      FuzzCheck.require(
        !offered.isDisjoint(with: secrets + [fencedSecret]), "postback accepted without a secret")
    }
  }

  /// RFC 6265 cookie-octet, plus `=` for the name-value pair.
  private static func isCookieByte(_ byte: UInt8) -> Bool {
    byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte)
      || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
  }

  private static func visitCookies(_ response: HTTPResponse) -> (String, String)? {
    var clickID = ""
    var visitor = ""
    for (name, value) in response.headers where name == "Set-Cookie" {
      let pair = value.prefix { $0 != ";" }
      if pair.hasPrefix("ct_visit=") {
        clickID = String(pair.dropFirst("ct_visit=".count).prefix { $0 != "." })
      } else if pair.hasPrefix("ct_vid=") {
        visitor = String(pair.dropFirst("ct_vid=".count))
      }
    }
    return clickID.isEmpty ? nil : (clickID, visitor)
  }

  /// Reads back what the service logged: every event queued, no damage, and no secret in
  /// the `params` column.
  private static func checkLogs(root: String, clicks: Int, postbacks: Int) {
    guard FileManager.default.fileExists(atPath: root) else {
      FuzzCheck.require(clicks + postbacks == 0, "events were queued but no file was written")
      return
    }
    let paths = (try? LogPathExpander.expand([root])) ?? []
    let result = LogReader.read(
      paths: paths, options: LogReadOptions(workers: 1), into: CollectingSink.self)
    for file in result.files {
      FuzzCheck.require(file.problems.isEmpty, "problems in the service's log: \(file.problems)")
    }
    var counted = (clicks: 0, postbacks: 0)
    let hidden = (secrets + [fencedSecret, hmacSecret]).flatMap {
      [$0, PercentEncoding.encode($0)]
    }
    for record in result.sink.records {
      switch record {
      case .click(let event):
        counted.clicks += 1
        FuzzCheck.require(ClickEvent.isValidClickID(event.clickID.utf8), "bad click ID logged")
      case .postback(let event):
        counted.postbacks += 1
        for secret in hidden {
          FuzzCheck.require(!event.params.contains(secret), "a secret in params: \(event.params)")
        }
      }
    }
    FuzzCheck.require(
      counted.clicks == clicks && counted.postbacks == postbacks,
      "queued \(clicks) clicks and \(postbacks) postbacks, read \(counted)")
  }
}

/// The arguments of a form body, decoded the way the service does, for the checks.
enum FormDecodingProbe {
  static func values(_ request: HTTPRequest) -> [String] {
    guard request.method == "POST" else { return [] }
    return request.body.split(separator: UInt8(ascii: "&")).compactMap { pair in
      guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { return nil }
      let name = String(decoding: pair[..<equals], as: UTF8.self)
      guard name == "secret" || name == "token" else { return nil }
      let raw = String(decoding: pair[(equals + 1)...], as: UTF8.self)
      return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
    }
  }
}
