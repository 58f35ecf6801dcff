import ClicktrailUserAgent
import Foundation

/// Writes `yaml` to a temporary regexes.yaml, runs `body` with its path, and removes it.
func withRulesFile<Result>(_ yaml: String, _ body: (String) throws -> Result) throws -> Result {
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent("clicktrail-regexes-\(UUID().uuidString).yaml").path
  try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
  defer { try? FileManager.default.removeItem(atPath: path) }
  return try body(path)
}

/// Loads a parser from `yaml`, which lists the rules of each section as YAML text.
func parser(browser: String = "[]", os: String = "[]", device: String = "[]") throws
  -> UserAgentParser
{
  let yaml = """
    user_agent_parsers: \(browser)
    os_parsers: \(os)
    device_parsers: \(device)
    """
  return try withRulesFile(yaml) { try UserAgentParser(regexesPath: $0) }
}
