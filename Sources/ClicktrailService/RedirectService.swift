import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSupport

/// The redirect service's request handling: campaign URLs and short links (visits), the
/// lander's click URL, postbacks, health and metrics. It writes every visit, click, preview
/// and postback to the event log, and redirects only to URLs built from the catalogue's
/// templates, so that no request can make it redirect elsewhere.
public final class RedirectService: Sendable {
  /// The settings of request handling.
  public struct Configuration: Sendable {
    /// How much of a visitor's IP address is logged. Default: truncated.
    public var ipPrivacy: IPPrivacy = .truncate
    /// The number of recent visits kept for `/click` lookups. Default 200,000.
    public var recentVisitCapacity = 200_000
    /// The lifetime of the visitor cookie in seconds. Default one year.
    public var visitorCookieSeconds = 365 * 24 * 3600
    /// The time source for event timestamps and click IDs.
    public var clock: WallClock = SystemWallClock()
    /// The source of click IDs, visitor keys and weighted choices.
    public var random: RandomSource = SystemRandomSource()
    /// The logger for rejected requests.
    public var logger = Logger(label: "clicktrail.service")

    public init() {}
  }

  let configuration: Configuration
  let log: EventLog
  let clickIDs: ClickIDGenerator
  let recentVisits: RecentVisits
  /// The request counters that `/metrics` shows.
  public let metrics = ServiceMetrics()
  /// The signatures of accepted signed postbacks, kept across catalogue reloads.
  let signatureReplays = SignatureReplayGuard()
  private let catalogueState: LockedValue<Catalogue>

  /// Creates the handler.
  /// - Parameters:
  ///   - catalogue: The validated campaign catalogue.
  ///   - log: The event log that receives every event.
  public init(catalogue: Catalogue, log: EventLog, configuration: Configuration = .init()) {
    self.configuration = configuration
    self.log = log
    self.catalogueState = LockedValue(catalogue)
    self.clickIDs = ClickIDGenerator(random: configuration.random)
    self.recentVisits = RecentVisits(capacity: configuration.recentVisitCapacity)
  }

  /// The catalogue in use.
  public var catalogue: Catalogue { catalogueState.withLock { $0 } }

  /// Replaces the catalogue for requests that start from now on.
  public func replaceCatalogue(_ catalogue: Catalogue) {
    catalogueState.withLock { $0 = catalogue }
  }

  /// Returns the response to one request. Safe to call from many threads at once.
  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    let (endpoint, response) = route(request)
    metrics.record(endpoint: endpoint, status: response.status)
    return response
  }

  private func route(_ request: HTTPRequest) -> (ServiceMetrics.Endpoint, HTTPResponse) {
    let path = request.path
    switch path {
    case "/healthz":
      return (.health, allowing(["GET", "HEAD"], request) ?? .text(200, "ok\n"))
    case "/metrics":
      let text = metrics.render(writer: log.statistics)
      let response = HTTPResponse(
        status: 200,
        headers: [
          ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
          ("Cache-Control", "no-store"),
        ],
        body: Array(text.utf8))
      return (.metrics, allowing(["GET", "HEAD"], request) ?? response)
    case "/postback":
      return (.postback, allowing(["GET", "POST"], request) ?? handlePostback(request))
    case "/click":
      return (.click, allowing(["GET", "HEAD"], request) ?? handleClick(request))
    default:
      break
    }
    if let rejection = allowing(["GET", "HEAD"], request) { return (.other, rejection) }
    // One copy of the catalogue serves the whole request, even if it is replaced meanwhile.
    let catalogue = self.catalogue
    if path.hasPrefix("/c/") {
      let key = String(path.dropFirst(3))
      return (.campaign, handleCampaignVisit(request, key: key, catalogue: catalogue))
    }
    let code = path.dropFirst()
    if !code.isEmpty, !code.utf8.contains(UInt8(ascii: "/")),
      let link = catalogue.shortLink(code: String(code))
    {
      return (.shortLink, handleShortLinkVisit(request, link: link, catalogue: catalogue))
    }
    return (.other, Pages.notFound)
  }

  /// Returns a 405 response when the request's method is not in `methods`, else nil.
  private func allowing(_ methods: [String], _ request: HTTPRequest) -> HTTPResponse? {
    guard !methods.contains(request.method) else { return nil }
    var response = HTTPResponse.text(405, "Method not allowed.\n")
    response.headers.append(("Allow", methods.joined(separator: ", ")))
    return response
  }
}

/// The short pages the service returns.
enum Pages {
  static let notFound = page(
    404, "Not found", "This link is not known. Check that it was copied whole.")
  static let unknownClick = page(
    404, "Not found", "This link has expired or was opened in another browser.")

  /// Returns a minimal HTML page; `title` and `text` are constants, never request data.
  static func page(_ status: Int, _ title: String, _ text: String) -> HTTPResponse {
    let html = """
      <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(title)</title>\
      <meta name="viewport" content="width=device-width"></head>\
      <body><h1>\(title)</h1><p>\(text)</p></body></html>

      """
    return HTTPResponse(
      status: status,
      headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
      body: Array(html.utf8))
  }

  /// Returns a 302 redirect to `location` that no cache keeps.
  static func redirect(
    to location: String, cookies: [String] = [], onQueued: (@Sendable () -> Void)? = nil
  ) -> HTTPResponse {
    var headers: [(name: String, value: String)] = []
    headers.reserveCapacity(3 + cookies.count)
    headers.append(("Location", location))
    headers.append(("Cache-Control", "no-store"))
    headers.append(("Content-Type", "text/plain; charset=utf-8"))
    for cookie in cookies { headers.append(("Set-Cookie", cookie)) }
    return HTTPResponse(status: 302, headers: headers, body: redirectBody, onQueued: onQueued)
  }

  /// The body of every redirect, built once and shared.
  private static let redirectBody = Array("Redirecting.\n".utf8)
}
