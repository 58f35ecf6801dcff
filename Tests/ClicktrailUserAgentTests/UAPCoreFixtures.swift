import ClicktrailUserAgent
import Foundation
import Testing

/// The rules and test files that Debian's uap-core package installs, read at run time.
enum UAPCoreFixtures {
  static let directory = "/usr/share/uap-core"
  static let regexesPath = "\(directory)/regexes.yaml"

  /// Whether regexes.yaml and the three test files exist.
  static let isInstalled = (["regexes.yaml"] + testFiles.map { "tests/\($0)" }).allSatisfy {
    FileManager.default.fileExists(atPath: "\(directory)/\($0)")
  }

  static let testFiles = ["test_ua.yaml", "test_os.yaml", "test_device.yaml"]

  /// The parser over uap-core's rules, or nil when uap-core is not installed.
  static let parser: UserAgentParser? = isInstalled ? try? UserAgentParser() : nil

  /// Loads the test cases of `tests/<name>`, or none when uap-core is not installed.
  static func cases(_ name: String) -> [UAPCoreCase] {
    guard isInstalled else { return [] }
    do {
      guard let root = try YAMLDocument.load(path: "\(directory)/tests/\(name)"),
        let entries = root.value(forKey: "test_cases")?.items
      else {
        Issue.record("\(name) has no test_cases list")
        return []
      }
      return entries.map { entry in
        var expected: [String: String] = [:]
        for pair in entry.pairs ?? [] {
          if let key = pair.key.string, let value = pair.value.string {
            expected[key] = value
          }
        }
        return UAPCoreCase(
          file: name, line: entry.mark.line,
          userAgent: entry.value(forKey: "user_agent_string")?.string ?? "",
          expected: expected)
      }
    } catch {
      Issue.record("cannot load \(name): \(error)")
      return []
    }
  }
}

/// One entry of a uap-core test file: the header and the expected fields, where an absent key
/// means the field is expected to be nil.
struct UAPCoreCase: Sendable, CustomTestStringConvertible {
  let file: String
  let line: Int
  let userAgent: String
  let expected: [String: String]

  var testDescription: String { "\(file):\(line) \(userAgent)" }
}
