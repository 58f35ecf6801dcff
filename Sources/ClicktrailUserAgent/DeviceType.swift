/// The kind of device a visit came from, as reports group it.
///
/// uap-core names devices, OSes and browsers but has no such category, so it is derived from
/// the parsed fields and a few tokens of the header. The first rule that applies wins:
///
/// 1. `bot`: the device family is "Spider", which uap-core gives to crawlers and link
///    previewers.
/// 2. `other`: a TV, set-top box or streaming stick, by its OS family (tvOS, GoogleTV, Roku,
///    Chromecast, ...) or a TV token in the header ("Android TV", "SMART-TV", "HbbTV", ...).
/// 3. `tablet`: the device family or model names a tablet ("iPad", "Tablet", "Kindle",
///    "Galaxy Tab", ...), or the OS is BlackBerry Tablet OS or Kindle. An Android browser
///    header ("Mozilla/") without the token "Mobile" is a tablet too, because Android browsers
///    send that token only on phones.
/// 4. `mobile`: a phone OS (iOS, Android, Windows Phone, KaiOS, Symbian, ...) or a phone
///    device family (iPhone, iPod, Generic Smartphone, Generic Feature Phone).
/// 5. `desktop`: a desktop OS (Windows, Mac OS X, Linux and its distributions, Chrome OS, the
///    BSDs, Solaris) with device family "Other" or "Mac".
/// 6. `other`: everything else, including empty and unrecognised headers, consoles and
///    watches.
public enum DeviceType: String, Sendable, Hashable, CaseIterable {
  case bot
  case mobile
  case tablet
  case desktop
  case other

  /// Derives the device type of `userAgent` from what the rules made of it.
  public init(userAgent: String, info: UserAgentInfo) {
    let family = info.deviceFamily
    let model = info.deviceModel ?? ""
    if family == "Spider" {
      self = .bot
    } else if Self.tvOSFamilies.contains(info.osFamily)
      || Self.tvTokens.contains(where: userAgent.contains)
    {
      self = .other
    } else if Self.tabletKeywords.contains(where: { family.contains($0) || model.contains($0) })
      || Self.tabletOSFamilies.contains(info.osFamily)
      || (info.osFamily == "Android" && userAgent.contains("Mozilla/")
        && !userAgent.contains("Mobile"))
    {
      self = .tablet
    } else if Self.mobileOSFamilies.contains(info.osFamily)
      || Self.phoneDeviceFamilies.contains(family)
    {
      self = .mobile
    } else if Self.desktopOSFamilies.contains(info.osFamily)
      && (family == "Other" || family == "Mac")
    {
      self = .desktop
    } else {
      self = .other
    }
  }

  static let tvOSFamilies: Set<String> = [
    "tvOS", "ATV OS X", "GoogleTV", "Roku", "Chromecast", "FireHbbTV", "Web0S", "WebTV",
  ]

  static let tvTokens = [
    "Android TV", "GoogleTV", "Google TV", "SMART-TV", "SmartTV", "HbbTV", "CrKey", "AppleTV",
    "BRAVIA", "NetCast",
  ]

  static let tabletKeywords = [
    "iPad", "Tablet", "Kindle", "Galaxy Tab", "Nexus 7", "Nexus 9", "Nexus 10", "PlayBook",
    "Xoom", "TouchPad",
  ]

  static let tabletOSFamilies: Set<String> = ["BlackBerry Tablet OS", "Kindle"]

  static let mobileOSFamilies: Set<String> = [
    "iOS", "Android", "Windows Phone", "Windows Mobile", "BlackBerry OS", "KaiOS", "Firefox OS",
    "Symbian OS", "Symbian^3", "Symbian^3 Anna", "Symbian^3 Belle", "Nokia Series 40",
    "Nokia Series 30 Plus", "Bada", "Tizen", "Sailfish", "MeeGo", "Maemo", "webOS", "Brew MP",
    "BREW",
  ]

  static let phoneDeviceFamilies: Set<String> = [
    "iPhone", "iPod", "Generic Smartphone", "Generic Feature Phone",
  ]

  static let desktopOSFamilies: Set<String> = [
    "Windows", "Mac OS X", "Mac OS", "Linux", "Chrome OS", "Ubuntu", "Kubuntu", "Xubuntu",
    "Lubuntu", "Linux Mint", "Debian", "Fedora", "Red Hat", "CentOS", "SUSE", "openSUSE",
    "Gentoo", "Mandriva", "Mageia", "PCLinuxOS", "Puppy", "BackTrack", "Slackware",
    "Arch Linux", "FreeBSD", "OpenBSD", "NetBSD", "BSD", "Solaris", "SerenityOS",
  ]
}
