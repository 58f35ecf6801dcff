/// Classifies user agents by a few well-known markers. It is the fallback when the
/// ua-parser rules of Debian's uap-core package are not installed.
public struct SimpleDeviceClassifier: DeviceClassifier {
  public init() {}

  public func classify(_ userAgent: String) -> DeviceClass {
    let agent = userAgent.lowercased()
    let botMarkers = ["bot", "crawler", "spider", "python-requests", "curl/", "wget/", "headless"]
    if agent.isEmpty || botMarkers.contains(where: agent.contains) {
      return DeviceClass(type: agent.isEmpty ? "other" : "bot", os: "Other", browser: "Other")
    }
    let os =
      agent.contains("iphone") || agent.contains("ipad")
      ? "iOS"
      : agent.contains("android")
        ? "Android"
        : agent.contains("windows")
          ? "Windows"
          : agent.contains("mac os x") ? "Mac OS X" : agent.contains("linux") ? "Linux" : "Other"
    let browser =
      agent.contains("samsungbrowser")
      ? "Samsung Internet"
      : agent.contains("firefox")
        ? "Firefox"
        : agent.contains("edg/")
          ? "Edge"
          : agent.contains("chrome")
            ? "Chrome"
            : agent.contains("safari") ? "Safari" : "Other"
    let type =
      agent.contains("ipad") || agent.contains("tablet")
      ? "tablet"
      : agent.contains("mobile") || agent.contains("iphone") || agent.contains("android")
        ? "mobile"
        : os == "Other" ? "other" : "desktop"
    return DeviceClass(type: type, os: os, browser: browser)
  }
}
