import ClicktrailUserAgent
import Testing

/// A real header and what the report should make of it.
struct NamedHeader: Sendable, CustomTestStringConvertible {
  let name: String
  let userAgent: String
  let deviceType: DeviceType
  let browserFamily: String
  let osFamily: String
  let deviceFamily: String

  var testDescription: String { name }

  static let all = [
    NamedHeader(
      name: "iPhone Safari",
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      deviceType: .mobile, browserFamily: "Mobile Safari", osFamily: "iOS",
      deviceFamily: "iPhone"),
    NamedHeader(
      name: "Android Chrome phone",
      userAgent:
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/124.0.0.0 Mobile Safari/537.36",
      deviceType: .mobile, browserFamily: "Chrome Mobile", osFamily: "Android",
      deviceFamily: "Samsung SM-S918B"),
    NamedHeader(
      name: "iPad Safari",
      userAgent:
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        + "Version/16.6 Mobile/15E148 Safari/604.1",
      deviceType: .tablet, browserFamily: "Mobile Safari", osFamily: "iOS",
      deviceFamily: "iPad"),
    NamedHeader(
      name: "Samsung tablet Samsung Internet",
      userAgent:
        "Mozilla/5.0 (Linux; Android 9; SAMSUNG SM-T820) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "SamsungBrowser/10.1 Chrome/71.0.3578.99 Safari/537.36",
      deviceType: .tablet, browserFamily: "Samsung Internet", osFamily: "Android",
      deviceFamily: "Samsung SM-T820"),
    // uap-core 0.16 has no Samsung rule for SM-X models, so only the missing "Mobile" token
    // makes this a tablet.
    NamedHeader(
      name: "Samsung tablet Chrome",
      userAgent:
        "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/120.0.0.0 Safari/537.36",
      deviceType: .tablet, browserFamily: "Chrome", osFamily: "Android",
      deviceFamily: "SM-X200"),
    NamedHeader(
      name: "Windows Chrome",
      userAgent:
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/124.0.0.0 Safari/537.36",
      deviceType: .desktop, browserFamily: "Chrome", osFamily: "Windows", deviceFamily: "Other"),
    NamedHeader(
      name: "Mac Safari",
      userAgent:
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        + "Version/17.4 Safari/605.1.15",
      deviceType: .desktop, browserFamily: "Safari", osFamily: "Mac OS X", deviceFamily: "Mac"),
    NamedHeader(
      name: "Googlebot",
      userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      deviceType: .bot, browserFamily: "Googlebot", osFamily: "Other", deviceFamily: "Spider"),
    NamedHeader(
      name: "facebookexternalhit",
      userAgent:
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
      deviceType: .bot, browserFamily: "FacebookBot", osFamily: "Other", deviceFamily: "Spider"),
    NamedHeader(
      name: "empty string", userAgent: "", deviceType: .other, browserFamily: "Other",
      osFamily: "Other", deviceFamily: "Other"),
    NamedHeader(
      name: "garbage", userAgent: "\u{1}zz%%%\u{FFFD} ;;; ((", deviceType: .other,
      browserFamily: "Other", osFamily: "Other", deviceFamily: "Other"),
  ]
}

@Suite(
  .enabled(
    if: UAPCoreFixtures.isInstalled,
    "uap-core is not installed: apt-get install uap-core (scripts/install-deps does it)"))
struct DeviceTypeOfRealHeadersTests {
  @Test("Device type and families of a real header", arguments: NamedHeader.all)
  func realHeader(_ header: NamedHeader) throws {
    let info = try #require(UAPCoreFixtures.parser).parse(header.userAgent)
    #expect(info.deviceType == header.deviceType)
    #expect(info.browserFamily == header.browserFamily)
    #expect(info.osFamily == header.osFamily)
    #expect(info.deviceFamily == header.deviceFamily)
  }
}

/// Parsed fields, without a header's text, and the device type they lead to.
struct DerivationCase: Sendable, CustomTestStringConvertible {
  let name: String
  let userAgent: String
  let info: UserAgentInfo
  let expected: DeviceType

  var testDescription: String { name }

  static let all = [
    DerivationCase(
      name: "Spider wins over a phone OS", userAgent: "Mozilla/5.0 (iPhone) bot",
      info: UserAgentInfo(osFamily: "iOS", deviceFamily: "Spider"), expected: .bot),
    DerivationCase(
      name: "Android TV is other", userAgent: "Mozilla/5.0 (Linux; Android 9; SHIELD Android TV)",
      info: UserAgentInfo(osFamily: "Android", deviceFamily: "SHIELD Android TV"),
      expected: .other),
    DerivationCase(
      name: "Kindle device is tablet", userAgent: "Mozilla/5.0 Silk Mobile",
      info: UserAgentInfo(osFamily: "Android", deviceFamily: "Kindle Fire HD"),
      expected: .tablet),
    DerivationCase(
      name: "Tablet model is tablet", userAgent: "Mozilla/5.0 Mobile",
      info: UserAgentInfo(osFamily: "Android", deviceFamily: "Acme", deviceModel: "Tablet 7"),
      expected: .tablet),
    DerivationCase(
      name: "Android browser without Mobile", userAgent: "Mozilla/5.0 (Linux; Android 12)",
      info: UserAgentInfo(osFamily: "Android", deviceFamily: "Generic Smartphone"),
      expected: .tablet),
    DerivationCase(
      name: "Android app without Mobile", userAgent: "Dalvik/2.1.0 (Linux; U; Android 12)",
      info: UserAgentInfo(osFamily: "Android", deviceFamily: "Generic Smartphone"),
      expected: .mobile),
    DerivationCase(
      name: "Feature phone without OS", userAgent: "Nokia6300/2.0",
      info: UserAgentInfo(deviceFamily: "Generic Feature Phone"), expected: .mobile),
    DerivationCase(
      name: "Linux with no device", userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
      info: UserAgentInfo(osFamily: "Linux"), expected: .desktop),
    DerivationCase(
      name: "Windows console is other", userAgent: "Mozilla/5.0 (Windows NT 10.0; Xbox One)",
      info: UserAgentInfo(osFamily: "Windows", deviceFamily: "Xbox One"), expected: .other),
    DerivationCase(
      name: "Unknown OS and device", userAgent: "curl/8.5.0",
      info: UserAgentInfo(browserFamily: "curl"), expected: .other),
  ]
}

@Suite struct DeviceTypeDerivationTests {
  @Test("Device type derived from parsed fields", arguments: DerivationCase.all)
  func derivation(_ testCase: DerivationCase) {
    #expect(DeviceType(userAgent: testCase.userAgent, info: testCase.info) == testCase.expected)
  }
}
