import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSupport

// MARK: - Visits and clicks

extension RedirectService {
  func handleCampaignVisit(
    _ request: HTTPRequest, key: String, catalogue: Catalogue
  ) -> HTTPResponse {
    guard let campaign = catalogue.campaign(key: key) else { return Pages.notFound }
    return visit(request, campaign: campaign, fixed: [], catalogue: catalogue)
  }

  func handleShortLinkVisit(
    _ request: HTTPRequest, link: ShortLink, catalogue: Catalogue
  ) -> HTTPResponse {
    guard let campaign = catalogue.campaign(key: link.campaign) else { return Pages.notFound }
    return visit(request, campaign: campaign, fixed: link.parameters, catalogue: catalogue)
  }

  /// Logs a visit (or a preview) and redirects to the chosen lander, or to the chosen offer
  /// for direct linking.
  private func visit(
    _ request: HTTPRequest, campaign: Campaign, fixed: [ParameterValue], catalogue: Catalogue
  ) -> HTTPResponse {
    let placeholder = catalogue.trafficSource(name: campaign.source)?.placeholder ?? ""
    var parameters: [(String, String)] = []
    parameters.reserveCapacity(fixed.count + request.query.count)
    for value in fixed { parameters.append((value.name, value.value)) }
    for item in request.query where !fixed.contains(where: { $0.name == item.name }) {
      // A value equal to the placeholder was never filled in by the sender.
      guard !item.value.isEmpty, item.value != placeholder else { continue }
      parameters.append((item.name, item.value))
    }
    let now = configuration.clock.nowMilliseconds()
    let clickID = clickIDs.make(timestamp: now)
    var generator = RandomSourceGenerator(configuration.random)
    var values = TokenValues(
      clickID: clickID, campaign: campaign.key, source: campaign.source, lander: "", offer: "",
      parameters: Dictionary(parameters, uniquingKeysWith: { first, _ in first }))
    let target: String
    if let landers = campaign.destination.landerChoice,
      let lander = catalogue.lander(key: landers.choose(using: &generator))
    {
      values.lander = lander.key
      target = lander.url.expand(values)
    } else {
      let offerKey = campaign.destination.offerChoice.choose(using: &generator)
      guard let offer = catalogue.offer(key: offerKey) else { return Pages.notFound }
      values.offer = offer.key
      target = offer.url.expand(values)
    }
    let preview = PreviewDetector.isPreview(method: request.method, headers: request.headers)
    let cookieHeader = request.headers["cookie"]
    let existingVisitor = Cookies.value(Cookies.visitorName, in: cookieHeader)
      .flatMap { ClickEvent.isValidClickID($0.utf8) ? $0 : nil }
    let visitor = existingVisitor ?? (preview ? "" : clickIDs.make(timestamp: now))
    let event = ClickEvent(
      timestamp: now, kind: preview ? .preview : .visit, clickID: clickID,
      campaign: campaign.key, source: campaign.source, lander: values.lander, offer: values.offer,
      params: PostbackParameters.encode(parameters.map { QueryItem(name: $0.0, value: $0.1) }),
      visitor: visitor, ip: configuration.ipPrivacy.apply(request.clientAddress),
      userAgent: request.headers["user-agent"] ?? "", referrer: request.headers["referer"] ?? "")
    let commit = logging(event)
    guard !preview else { return Pages.redirect(to: target, onQueued: commit) }
    recentVisits.insert(
      .init(campaign: campaign.key, lander: values.lander, parameters: values.parameters),
      for: clickID)
    let secure = catalogue.service.publicURL.hasPrefix("https://")
    let domain = catalogue.service.cookieDomain
    var cookies = [
      Cookies.setCookie(
        Cookies.visitName, Cookies.visitValue(clickID, campaign.key, values.lander),
        maxAgeSeconds: campaign.attributionWindowDays * 86_400, domain: domain, secure: secure)
    ]
    if existingVisitor == nil {
      cookies.append(
        Cookies.setCookie(
          Cookies.visitorName, visitor, maxAgeSeconds: configuration.visitorCookieSeconds,
          domain: domain, secure: secure))
    }
    return Pages.redirect(to: target, cookies: cookies, onQueued: commit)
  }

  /// Logs a lander-to-offer click and redirects to the chosen offer.
  ///
  /// The click ID comes from `cid` (or `clickid`), else from the visit cookie. The campaign
  /// comes from the `campaign` argument, else from the recent visits of this process, else
  /// from the visit cookie when it names the same click ID.
  func handleClick(_ request: HTTPRequest) -> HTTPResponse {
    let catalogue = self.catalogue
    let cookie = Cookies.value(Cookies.visitName, in: request.headers["cookie"])
      .map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    guard let clickID = request.queryValue("cid") ?? request.queryValue("clickid") ?? cookie?.first,
      ClickEvent.isValidClickID(clickID.utf8)
    else {
      return Pages.unknownClick
    }
    let remembered = recentVisits.visit(for: clickID)
    let cookieVisit = cookie.flatMap { parts -> RecentVisits.Visit? in
      guard parts.count == 3, parts[0] == clickID else { return nil }
      // The cookie comes from the browser: a lander it names is kept only when it is one of
      // the campaign's landers.
      let lander =
        catalogue.campaign(key: parts[1])?.destination.landers.contains { $0.key == parts[2] }
          == true ? parts[2] : ""
      return .init(campaign: parts[1], lander: lander, parameters: [:])
    }
    let campaignKey =
      request.queryValue("campaign") ?? remembered?.campaign ?? cookieVisit?.campaign
    guard let campaignKey, let campaign = catalogue.campaign(key: campaignKey) else {
      return Pages.unknownClick
    }
    let known = remembered?.campaign == campaign.key ? remembered : cookieVisit
    var generator = RandomSourceGenerator(configuration.random)
    let offerKey = campaign.destination.offerChoice.choose(using: &generator)
    guard let offer = catalogue.offer(key: offerKey) else { return Pages.notFound }
    let lander = known?.lander ?? ""
    let values = TokenValues(
      clickID: clickID, campaign: campaign.key, source: campaign.source, lander: lander,
      offer: offer.key, parameters: known?.parameters ?? [:])
    let preview = PreviewDetector.isPreview(method: request.method, headers: request.headers)
    let event = ClickEvent(
      timestamp: configuration.clock.nowMilliseconds(), kind: preview ? .preview : .click,
      clickID: clickID, campaign: campaign.key, source: campaign.source, lander: lander,
      offer: offer.key,
      visitor: Cookies.value(Cookies.visitorName, in: request.headers["cookie"])
        .flatMap { ClickEvent.isValidClickID($0.utf8) ? $0 : nil } ?? "",
      ip: configuration.ipPrivacy.apply(request.clientAddress),
      userAgent: request.headers["user-agent"] ?? "", referrer: request.headers["referer"] ?? "")
    return Pages.redirect(to: offer.url.expand(values), onQueued: logging(event))
  }

  /// Returns the work that logs `event` once its response is queued for sending.
  func logging(_ event: ClickEvent) -> @Sendable () -> Void {
    let log = self.log
    let metrics = self.metrics
    return {
      log.append(event)
      metrics.recordEvent(event.kind.rawValue)
    }
  }
}
