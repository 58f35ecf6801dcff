import Foundation

// MARK: - Traffic sources, landers, offers and networks

extension CatalogueValidator {
  mutating func validateSource(_ document: TrafficSourceDocument, index: Int) {
    let element = label("traffic_sources", index, "name", document.name)
    checkKey(
      document.name, field: "name", element: element, array: "traffic_sources",
      seen: sourceNames)
    sourceNames.append(document.name)
    var valid = true
    let parameters = document.parameters ?? []
    for (position, name) in parameters.enumerated() {
      if !CatalogueRules.isParameterName(name) {
        report(
          element, "parameters[\(position)] \(quoted(name)) must be 1 to 32 of A-Z a-z 0-9 _")
        valid = false
      } else if parameters[..<position].contains(name) {
        report(element, "parameters[\(position)] \(quoted(name)) is listed twice")
        valid = false
      }
    }
    let placeholder = document.placeholder ?? CatalogueRules.defaultPlaceholder
    if !CatalogueRules.isPlaceholder(placeholder) {
      report(
        element,
        "placeholder \(quoted(placeholder)) must be 1 to 32 printable ASCII characters "
          + "without space or \" # % & / = ? \\")
      valid = false
    }
    let costModel = validateCostModel(document.costModel, element: element)
    guard valid, let name = document.name, let costModel else { return }
    sources.append(
      TrafficSource(
        name: name, parameters: parameters, placeholder: placeholder, costModel: costModel))
  }

  private mutating func validateCostModel(
    _ document: CostModelDocument?, element: String
  ) -> CostModel? {
    guard let document else {
      report(element, "cost_model is missing")
      return nil
    }
    guard let type = document.type else {
      report(element, "cost_model.type is missing")
      return nil
    }
    guard let kind = CostModel.Kind(rawValue: type) else {
      let kinds = CostModel.Kind.allCases.map(\.rawValue).joined(separator: ", ")
      report(element, "cost_model.type \(quoted(type)) is not a cost model; known: \(kinds)")
      return nil
    }
    switch kind {
    case .none:
      if let value = document.value, value != 0 {
        report(element, "cost_model.value \(value) must be 0 or left out for type \"none\"")
        return nil
      }
      return CostModel(kind: kind, value: 0, currency: nil)
    case .revshare:
      let value = checkAmount(
        document.value, field: "cost_model.value", element: element, maximum: 1)
      var currency: String?
      if let code = document.currency {
        currency = checkCurrency(code, field: "cost_model.currency", element: element)
        if currency == nil { return nil }
      }
      return value.map { CostModel(kind: kind, value: $0, currency: currency) }
    case .perMessage, .cpc, .cpa, .cpm:
      let value = checkAmount(document.value, field: "cost_model.value", element: element)
      let currency = checkCurrency(
        document.currency, field: "cost_model.currency", element: element)
      guard let value, let currency else { return nil }
      return CostModel(kind: kind, value: value, currency: currency)
    }
  }

  mutating func validateLander(_ document: LanderDocument, index: Int) {
    let element = label("landers", index, "key", document.key)
    checkKey(document.key, field: "key", element: element, array: "landers", seen: landerKeys)
    landerKeys.append(document.key)
    let url = checkTemplate(document.url, field: "url", element: element)
    guard let key = document.key, let url else { return }
    landers.append(Lander(key: key, url: url))
  }

  mutating func validateOffer(_ document: OfferDocument, index: Int) {
    let element = label("offers", index, "key", document.key)
    checkKey(document.key, field: "key", element: element, array: "offers", seen: offerKeys)
    offerKeys.append(document.key)
    let url = checkTemplate(document.url, field: "url", element: element)
    let payout = checkAmount(document.payout, field: "payout", element: element)
    let currency = checkCurrency(document.currency, field: "currency", element: element)
    guard let key = document.key, let url, let payout, let currency else { return }
    offers.append(Offer(key: key, url: url, payout: payout, currency: currency))
  }

  mutating func validateNetwork(_ document: NetworkDocument, index: Int) {
    let element = label("networks", index, "key", document.key)
    checkKey(document.key, field: "key", element: element, array: "networks", seen: networkKeys)
    networkKeys.append(document.key)
    let secret = checkSecret(document.secret, field: "secret", element: element)
    var hmacSecret: String?
    var valid = secret != nil
    if let text = document.hmacSecret {
      hmacSecret = checkSecret(text, field: "hmac_secret", element: element)
      valid = valid && hmacSecret != nil
    }
    var signatureWindow: Int?
    if let seconds = document.signatureWindowSeconds {
      if document.hmacSecret == nil {
        report(
          element,
          "signature_window_seconds needs hmac_secret, since only a signed time can be trusted")
        valid = false
      } else if let whole = CatalogueRules.wholeNumber(seconds, in: 1...86_400) {
        signatureWindow = whole
      } else {
        report(
          element, "signature_window_seconds \(seconds) must be a whole number from 1 to 86400")
        valid = false
      }
    }
    var allowlist: [IPNetwork] = []
    for (position, text) in (document.ipAllowlist ?? []).enumerated() {
      do {
        allowlist.append(try IPNetwork(parsing: text))
      } catch {
        report(element, "ip_allowlist[\(position)] \(quoted(text)) \(error.message)")
        valid = false
      }
    }
    guard valid, let key = document.key, let secret else { return }
    networks.append(
      Network(
        key: key, secret: secret, hmacSecret: hmacSecret,
        signatureWindowSeconds: signatureWindow, ipAllowlist: allowlist))
  }

  /// Checks a secret's length; messages give the length and never the secret.
  private mutating func checkSecret(_ text: String?, field: String, element: String) -> String? {
    guard let text else {
      report(element, "\(field) is missing")
      return nil
    }
    let length = text.count
    guard length >= CatalogueRules.minimumSecretLength else {
      report(
        element,
        "\(field) has \(length) characters; it needs at least "
          + "\(CatalogueRules.minimumSecretLength)")
      return nil
    }
    return text
  }
}
