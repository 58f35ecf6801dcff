import ClicktrailCatalogue
import ClicktrailLog
import ClicktrailSupport

// MARK: - Postbacks

extension RedirectService {
  /// Logs a postback, accepted or rejected with its reason, and returns 200 when accepted,
  /// 403 when authentication failed and 400 when a value is malformed.
  func handlePostback(_ request: HTTPRequest) -> HTTPResponse {
    var items = request.query
    var unsupportedBody = false
    if request.method == "POST" && !request.body.isEmpty {
      let type = request.headers["content-type"]?.lowercased() ?? ""
      if type.hasPrefix("application/x-www-form-urlencoded") {
        items += FormDecoding.decode(request.body)
      } else {
        unsupportedBody = true
      }
    }
    var parameters = PostbackParameters(items)
    // An argument that holds a secret anywhere, in its name or inside a longer value, is
    // not logged either: a network that misplaces its secret must not leak it to the logs.
    let secrets = catalogue.networks.flatMap { [$0.secret] + ($0.hmacSecret.map { [$0] } ?? []) }
      .filter { !$0.isEmpty }
    parameters.others.removeAll { item in
      secrets.contains { item.name.contains($0) || item.value.contains($0) }
    }
    let now = configuration.clock.nowMilliseconds()
    let outcome = PostbackAuthenticator.authenticate(
      parameters: parameters, items: items, clientAddress: request.clientAddress,
      networks: catalogue.networks, now: now)
    let status = PostbackParameters.normalizedStatus(parameters.statusText)
    let payout = parameters.payoutText.flatMap { $0.isEmpty ? nil : Money(parsing: Array($0.utf8)) }
    let currency = parameters.currency.uppercased()
    let clickID = parameters.clickID ?? ""
    var network = ""
    var rejection: (reason: String, status: Int)?
    var signedTime: PostbackAuthenticator.SignedTime?
    switch outcome {
    case .rejected(let reason, let rejectedNetwork):
      network = rejectedNetwork
      rejection = (reason, 403)
    case .accepted(let acceptedNetwork, let time):
      network = acceptedNetwork
      signedTime = time
    }
    if unsupportedBody {
      rejection = ("unsupported_content_type", 415)
    }
    if rejection == nil {
      rejection = Self.validationFailure(
        clickID: clickID, status: status, payout: payout, parameters: parameters,
        currency: currency)
    }
    // Only a postback that passed every other check uses up its signature. A replay gets
    // the first request's status, and is logged as rejected so that the report ignores it.
    if rejection == nil, let signedTime,
      !signatureReplays.firstUse(
        signature: signedTime.signature, signedAt: signedTime.signedAt,
        window: signedTime.window, now: now)
    {
      rejection = (PostbackAuthenticator.replayedReason, 200)
    }
    let event = PostbackEvent(
      timestamp: now, clickID: clickID,
      transactionID: parameters.transactionID, status: status, payout: payout,
      currency: Self.isCurrencyCode(currency) ? currency : "", network: network,
      accepted: rejection == nil, rejectReason: rejection?.reason ?? "",
      ip: request.clientAddress, params: PostbackParameters.encode(parameters.others))
    let log = self.log
    let metrics = self.metrics
    let commit: @Sendable () -> Void = {
      log.append(event)
      metrics.recordEvent(event.accepted ? "postback_accepted" : "postback_rejected")
    }
    guard let rejection else {
      var response = HTTPResponse.text(200, "OK\n")
      response.onQueued = commit
      return response
    }
    configuration.logger.debug(
      "rejected postback",
      [
        "postback.reason": rejection.reason, "postback.network": network,
        "client.ip": request.clientAddress,
      ])
    var response = HTTPResponse.text(
      rejection.status,
      rejection.status == 200 ? "OK: already received\n" : "Rejected: \(rejection.reason)\n")
    response.onQueued = commit
    return response
  }

  private static func validationFailure(
    clickID: String, status: PostbackEvent.Status?, payout: Money?,
    parameters: PostbackParameters, currency: String
  ) -> (reason: String, status: Int)? {
    if clickID.isEmpty { return ("missing_click_id", 400) }
    if !ClickEvent.isValidClickID(clickID.utf8) { return ("malformed_click_id", 400) }
    if status == nil { return ("unknown_status", 400) }
    if let text = parameters.payoutText, !text.isEmpty, payout == nil {
      return ("invalid_payout", 400)
    }
    if !currency.isEmpty, !isCurrencyCode(currency) { return ("invalid_currency", 400) }
    return nil
  }

  private static func isCurrencyCode(_ text: String) -> Bool {
    text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
  }
}
