import ClicktrailReport
import ClicktrailUserAgent

/// Chooses the user-agent classifier the report uses: the ua-parser rules of Debian's
/// uap-core package, or a few built-in markers when the rules are not installed.
enum ReportClassifiers {
  static func make(console: Console) -> DeviceClassifier {
    do {
      return UAPDeviceClassifier(
        classifier: try UserAgentClassifier(regexesPath: UserAgentParser.defaultRegexesPath))
    } catch {
      console.writeError(
        "warning: \(error); devices are classified by built-in markers instead\n")
      return SimpleDeviceClassifier()
    }
  }
}

/// Device classes from the uap-core rules: the device type, OS family and browser family.
struct UAPDeviceClassifier: DeviceClassifier {
  let classifier: UserAgentClassifier

  func classify(_ userAgent: String) -> DeviceClass {
    Self.deviceClass(classifier.classify(userAgent))
  }

  func classifyAll(_ userAgents: [String]) -> [DeviceClass] {
    classifier.classifyAll(userAgents).map(Self.deviceClass)
  }

  /// Browser families of HTTP libraries and command-line tools, which uap-core does not
  /// class as spiders but no person uses to open an SMS link.
  static let automatedClients: Set<String> = [
    "curl", "Wget", "Python Requests", "Python-urllib", "Go-http-client", "Java",
    "Apache-HttpClient", "libwww-perl", "PostmanRuntime", "okhttp", "HeadlessChrome",
    "PhantomJS", "aiohttp", "axios", "node-fetch",
  ]

  static func deviceClass(_ info: UserAgentInfo) -> DeviceClass {
    let type = automatedClients.contains(info.browserFamily) ? "bot" : info.deviceType.rawValue
    return DeviceClass(type: type, os: info.osFamily, browser: info.browserFamily)
  }
}
