/// Parses User-Agent headers with the rules of uap-core's regexes.yaml, as uap-core's
/// specification.md describes: in each of the three lists the first matching regex wins.
///
/// Loading compiles every regex once (about 1,100 in uap-core 0.16). After that the parser is
/// immutable, and `parse` may be called from any number of threads at once.
public final class UserAgentParser: Sendable {
  /// The path where Debian's uap-core package installs the rules.
  public static let defaultRegexesPath = "/usr/share/uap-core/regexes.yaml"

  public let regexesPath: String
  private let browserRules: RuleList
  private let osRules: RuleList
  private let deviceRules: RuleList
  private let maximumCaptureCount: Int

  /// Loads and compiles the rules in `regexesPath`.
  public init(regexesPath: String = UserAgentParser.defaultRegexesPath)
    throws(UserAgentRulesError)
  {
    let root: YAMLNode?
    do {
      root = try YAMLDocument.load(path: regexesPath)
    } catch {
      throw Self.rulesError(error)
    }
    guard let root, root.pairs != nil else {
      throw UserAgentRulesError(
        kind: .invalidEntry, path: regexesPath, mark: root?.mark,
        message: "expected a mapping with user_agent_parsers, os_parsers and device_parsers")
    }
    self.regexesPath = regexesPath
    browserRules = try RuleList.load(.browser, from: root, path: regexesPath)
    osRules = try RuleList.load(.os, from: root, path: regexesPath)
    deviceRules = try RuleList.load(.device, from: root, path: regexesPath)
    maximumCaptureCount = [browserRules, osRules, deviceRules].map(\.maximumCaptureCount).max()!
  }

  /// The number of rules in each list, in the order browser, OS, device.
  public var ruleCounts: (browser: Int, os: Int, device: Int) {
    (browserRules.rules.count, osRules.rules.count, deviceRules.rules.count)
  }

  /// Whether PCRE2 JIT-compiled every regex. Without JIT the results are the same, but
  /// parsing is several times slower.
  public var isJITCompiled: Bool {
    [browserRules, osRules, deviceRules].allSatisfy { list in
      list.rules.allSatisfy(\.regex.isJITCompiled)
    }
  }

  /// Returns the browser, OS and device of `userAgent`, and its device type.
  public func parse(_ userAgent: String) -> UserAgentInfo {
    let data = RegexMatchData(captureCount: maximumCaptureCount)
    var text = userAgent
    return text.withUTF8 { subject in
      let browser = browserRules.firstMatch(in: subject, into: data) ?? []
      let os = osRules.firstMatch(in: subject, into: data) ?? []
      let device = deviceRules.firstMatch(in: subject, into: data) ?? []
      func field(_ values: [String?], _ index: Int) -> String? {
        index < values.count ? values[index] : nil
      }
      var info = UserAgentInfo(
        browserFamily: field(browser, 0) ?? "Other",
        browserMajor: field(browser, 1),
        browserMinor: field(browser, 2),
        browserPatch: field(browser, 3),
        osFamily: field(os, 0) ?? "Other",
        osMajor: field(os, 1),
        osMinor: field(os, 2),
        osPatch: field(os, 3),
        osPatchMinor: field(os, 4),
        deviceFamily: field(device, 0) ?? "Other",
        deviceBrand: field(device, 1),
        deviceModel: field(device, 2))
      info.deviceType = DeviceType(userAgent: userAgent, info: info)
      return info
    }
  }

  private static func rulesError(_ error: YAMLError) -> UserAgentRulesError {
    switch error.kind {
    case .fileNotFound:
      return UserAgentRulesError(
        kind: .regexesNotFound, path: error.path, mark: nil,
        message:
          "file not found; install Debian's uap-core package (apt-get install uap-core), "
          + "which provides the ua-parser rules, or pass the path of a regexes.yaml")
    case .unreadable:
      return UserAgentRulesError(
        kind: .unreadable, path: error.path, mark: error.mark, message: error.message)
    case .invalidSyntax:
      return UserAgentRulesError(
        kind: .invalidYAML, path: error.path, mark: error.mark,
        message: "invalid YAML: \(error.message)")
    }
  }
}
