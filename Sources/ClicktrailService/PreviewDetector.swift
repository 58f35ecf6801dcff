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
    guard let agent = headers["user-agent"]?.lowercased() else { return false }
    return agentMarkers.contains { agent.contains($0) }
  }
}
