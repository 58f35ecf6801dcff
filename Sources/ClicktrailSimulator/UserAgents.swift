/// User-Agent strings in the forms that real browsers, preview fetchers and crawlers send.
enum UserAgents {
  static let iOSVersions = ["17_6_1", "18_1", "18_3_2", "16_7_10"]
  static let androidModels = [
    ("14", "SM-S921B"), ("13", "SM-A536B"), ("14", "SM-G991B"), ("12", "SM-A125F"),
  ]
  static let chromeVersions = ["130.0.6723.102", "131.0.6778.81", "129.0.6668.100"]

  /// Returns a browser agent for a recipient's device.
  static func visitor(_ device: Device, using random: inout SimulationRandom) -> String {
    let iOS = iOSVersions[random.integer(in: 0...(iOSVersions.count - 1))]
    let safari = iOS.split(separator: "_").prefix(2).joined(separator: ".")
    let chrome = chromeVersions[random.integer(in: 0...(chromeVersions.count - 1))]
    let major = chrome.split(separator: ".")[0]
    switch device {
    case .iPhoneSafari:
      return "Mozilla/5.0 (iPhone; CPU iPhone OS \(iOS) like Mac OS X) AppleWebKit/605.1.15 "
        + "(KHTML, like Gecko) Version/\(safari) Mobile/15E148 Safari/604.1"
    case .iPhoneChrome:
      return "Mozilla/5.0 (iPhone; CPU iPhone OS \(iOS) like Mac OS X) AppleWebKit/605.1.15 "
        + "(KHTML, like Gecko) CriOS/\(chrome) Mobile/15E148 Safari/604.1"
    case .androidChrome:
      // Chrome on Android reports a fixed "Android 10; K" since version 110.
      return "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/\(major).0.0.0 Mobile Safari/537.36"
    case .samsungInternet:
      let (android, model) = androidModels[random.integer(in: 0...(androidModels.count - 1))]
      return "Mozilla/5.0 (Linux; Android \(android); \(model)) AppleWebKit/537.36 (KHTML, "
        + "like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
    }
  }

  /// The agent iMessage fetches link previews with.
  static let iMessagePreview = "facebookexternalhit/1.1 Facebot Twitterbot/1.0"
  /// Agents of apps that fetch a preview when a recipient forwards the link.
  static let forwardPreviews = [
    "WhatsApp/2.24.22.79 A", "WhatsApp/2.24.23.78 i", "TelegramBot (like TwitterBot)",
  ]
  /// The desktop browser agent that carriers' link scanners send with HEAD requests.
  static let linkScanner =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    + "Chrome/124.0.0.0 Safari/537.36"
  /// Crawlers and scripts that the service logs as visits: reports must filter them.
  static let bots = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
      + "like Gecko) Chrome/130.0.6723.116 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
      + "+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "python-requests/2.32.3",
    "curl/8.5.0",
  ]
}
