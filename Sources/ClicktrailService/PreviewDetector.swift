/// Tells link-preview fetches from visits: messaging apps and social sites fetch a link to
/// draw a preview card, and browsers may prefetch it. Such fetches are logged as `preview`
/// and never counted as visits.
public enum PreviewDetector {
  /// Lowercase substrings of the User-Agent of known preview fetchers.
  static let agentMarkers = [
    "facebookexternalhit", "facebot", "twitterbot", "whatsapp", "telegrambot", "slackbot",
    "slack-imgproxy", "linkedinbot", "discordbot", "skypeuripreview", "viber", "snapchat",
    "pinterestbot", "redditbot", "vkshare", "line-poker", "kakaotalk-scrap", "embedly",
    "iframely", "google-pagerenderer", "applebot", "bingpreview", "mastodon", "signal",
    "zalo", "yandexbot",
  ]

  /// Returns whether the request is a preview fetch: a HEAD request, a request marked as a
  /// prefetch (`Purpose` or `Sec-Purpose` containing `prefetch`), or a known fetcher's agent.
  public static func isPreview(method: String, headers: [String: String]) -> Bool {
    if method == "HEAD" { return true }
    for name in ["purpose", "sec-purpose", "x-purpose", "x-moz"] {
      if let value = headers[name], value.lowercased().contains("prefetch") { return true }
    }
    guard let agent = headers["user-agent"] else { return false }
    if agent.utf8.allSatisfy({ $0 < 0x80 }) {
      return containsMarker(asciiAgent: agent)
    }
    let lowered = agent.lowercased()
    return agentMarkers.contains { lowered.contains($0) }
  }

  /// The markers as bytes, for the search in ASCII agents.
  private static let asciiMarkers = agentMarkers.map { Array($0.utf8) }

  /// Returns whether the lowercase form of `agent`, which must be ASCII, contains a marker.
  /// It finds what `lowercased().contains` finds, without Foundation's Unicode search, which
  /// cost more than the rest of a visit.
  private static func containsMarker(asciiAgent agent: String) -> Bool {
    var lowered = Array(agent.utf8)
    for index in lowered.indices where (0x41...0x5A).contains(lowered[index]) {
      lowered[index] |= 0x20
    }
    return asciiMarkers.contains { marker in
      guard lowered.count >= marker.count else { return false }
      return (0...(lowered.count - marker.count)).contains { start in
        lowered[start] == marker[0] && lowered[start..<(start + marker.count)].elementsEqual(marker)
      }
    }
  }
}
