import ClicktrailService
import Testing

@Suite struct PreviewDetectorTests {
  @Test(arguments: [
    ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", true),
    ("Signal", true),
    ("SIGNAL", true),
    ("Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36", false),
    ("zal", false),
    ("", false),
    // Not ASCII: the search lowercases the whole text first, as before.
    ("Ünïcode WhatsApp/2.23", true),
    ("Ünïcode Safari", false),
    // The Kelvin sign lowercases to an ASCII "k".
    ("\u{212A}akaotalk-scrap/1.0", true),
  ])
  func agentMarkers(agent: String, isPreview: Bool) {
    #expect(
      PreviewDetector.isPreview(method: "GET", headers: ["user-agent": agent]) == isPreview)
  }

  @Test func prefetchHeaderIsPreview() {
    #expect(PreviewDetector.isPreview(method: "GET", headers: ["sec-purpose": "PreFetch"]))
    #expect(!PreviewDetector.isPreview(method: "GET", headers: [:]))
  }
}
