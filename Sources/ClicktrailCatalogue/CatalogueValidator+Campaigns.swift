import Foundation

// MARK: - Campaigns

extension CatalogueValidator {
  mutating func validateCampaign(_ document: CampaignDocument, index: Int) {
    let element = label("campaigns", index, "key", document.key)
    checkKey(
      document.key, field: "key", element: element, array: "campaigns", seen: campaignKeys)
    campaignKeys.append(document.key)
    var valid = true
    if let source = document.source {
      if !sourceNames.contains(source) {
        report(
          element,
          "source \(quoted(source)) is not a traffic source; known sources: \(known(sourceNames))"
        )
        valid = false
      }
    } else {
      report(element, "source is missing")
      valid = false
    }

    let destination = validateDestination(document.destination, element: element)
    if let network = document.network, !networkKeys.contains(network) {
      report(
        element,
        "network \(quoted(network)) is not a network; known networks: \(known(networkKeys))")
      valid = false
    }

    var window = CatalogueRules.defaultAttributionWindowDays
    if let days = document.attributionWindowDays {
      if let whole = CatalogueRules.wholeNumber(days, in: 1...365) {
        window = whole
      } else {
        report(element, "attribution_window_days \(days) must be a whole number from 1 to 365")
        valid = false
      }
    }
    if let message = document.message, !message.contains("{link}") {
      report(element, "message \(quoted(message)) must contain {link} where the link goes")
      valid = false
    }

    guard valid, let key = document.key, let source = document.source, let destination else {
      return
    }
    campaigns.append(
      Campaign(
        key: key, source: source, destination: destination, network: document.network,
        attributionWindowDays: window, message: document.message))
  }

  private mutating func validateDestination(
    _ document: DestinationDocument?, element: String
  ) -> Destination? {
    guard let document else {
      report(element, "destination is missing")
      return nil
    }
    var landers: [WeightedKey]?
    if let entries = document.landers {
      if entries.isEmpty {
        report(
          element,
          "destination.landers must list at least one lander, or be left out for direct linking"
        )
      } else {
        landers = validateWeighted(
          entries, field: "destination.landers", kind: "lander", keys: landerKeys,
          element: element)
      }
    } else {
      landers = []
    }
    var offers: [WeightedKey]?
    if let entries = document.offers, !entries.isEmpty {
      offers = validateWeighted(
        entries, field: "destination.offers", kind: "offer", keys: offerKeys, element: element)
    } else {
      report(element, "destination.offers must list at least one offer")
    }
    guard let landers, let offers else { return nil }
    return Destination(landers: landers, offers: offers)
  }

  private mutating func validateWeighted(
    _ entries: [WeightedKeyDocument], field: String, kind: String, keys: [String?],
    element: String
  ) -> [WeightedKey]? {
    var result: [WeightedKey] = []
    var valid = true
    for (position, entry) in entries.enumerated() {
      let entryField = "\(field)[\(position)]"
      if let key = entry.key {
        if !keys.contains(key) {
          report(
            element,
            "\(entryField).key \(quoted(key)) is not a \(kind); known \(kind)s: \(known(keys))")
          valid = false
        } else if entries[..<position].contains(where: { $0.key == key }) {
          report(element, "\(entryField).key \(quoted(key)) is listed twice")
          valid = false
        }
      } else {
        report(element, "\(entryField).key is missing")
        valid = false
      }
      guard let weight = entry.weight else {
        report(element, "\(entryField).weight is missing")
        valid = false
        continue
      }
      guard let whole = CatalogueRules.wholeNumber(weight, in: 1...CatalogueRules.maximumWeight)
      else {
        report(
          element,
          "\(entryField).weight \(weight) must be a whole number from 1 to "
            + "\(CatalogueRules.maximumWeight)")
        valid = false
        continue
      }
      if let key = entry.key { result.append(WeightedKey(key: key, weight: whole)) }
    }
    return valid ? result : nil
  }

  // MARK: - Short links

  mutating func validateShortLink(_ document: ShortLinkDocument, index: Int, codes: inout [String])
  {
    let element = label("short_links", index, "code", document.code)
    var valid = true
    if let code = document.code {
      if !CatalogueRules.isShortCode(code) {
        report(element, "code \(quoted(code)) must be 3 to 16 of A-Z a-z 0-9")
        valid = false
      } else if CatalogueRules.reservedPaths.contains(code.lowercased()) {
        let reserved = CatalogueRules.reservedPaths.joined(separator: ", ")
        report(
          element,
          "code \(quoted(code)) collides with a path the service reserves; reserved: \(reserved)"
        )
        valid = false
      } else if let first = codes.firstIndex(of: code) {
        report(element, "duplicate code \(quoted(code)); short_links[\(first)] has it too")
        valid = false
      }
      codes.append(code)
    } else {
      report(element, "code is missing")
      valid = false
    }
    guard let campaignKey = document.campaign else {
      report(element, "campaign is missing")
      return
    }
    guard campaignKeys.contains(campaignKey) else {
      report(
        element,
        "campaign \(quoted(campaignKey)) is not a campaign; known campaigns: "
          + known(campaignKeys))
      return
    }
    guard let campaign = campaigns.first(where: { $0.key == campaignKey }),
      let source = sources.first(where: { $0.name == campaign.source })
    else {
      return  // The campaign or its source has a problem of its own, reported already.
    }
    let params = document.params ?? [:]
    for name in params.keys.sorted() where !source.parameters.contains(name) {
      report(
        element,
        "params name \(quoted(name)) is not a parameter of source \(quoted(source.name)); "
          + "its parameters: \(known(source.parameters))")
      valid = false
    }
    for (name, value) in params.sorted(by: { $0.key < $1.key }) where value.isEmpty {
      report(element, "params.\(name) must not be empty")
      valid = false
    }
    let parameters = source.parameters.compactMap { name in
      params[name].map { ParameterValue(name: name, value: $0) }
    }
    if let twin = shortLinks.firstIndex(where: {
      $0.campaign == campaignKey && $0.parameters == parameters
    }) {
      report(
        element,
        "has the same campaign and params as short_links (code \(quoted(shortLinks[twin].code)))"
      )
      valid = false
    }
    guard valid, let code = document.code else { return }
    shortLinks.append(ShortLink(code: code, campaign: campaignKey, parameters: parameters))
  }
}
