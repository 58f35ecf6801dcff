import ClicktrailUserAgent
import Testing

@Suite struct RulesLoadingErrorTests {
  private func loadError(_ yaml: String) throws -> UserAgentRulesError? {
    try withRulesFile(yaml) { path -> UserAgentRulesError? in
      do throws(UserAgentRulesError) {
        _ = try UserAgentParser(regexesPath: path)
        return nil
      } catch {
        return error
      }
    }
  }

  @Test func missingFileSaysToInstallUAPCore() {
    let path = "/nonexistent/uap-core/regexes.yaml"
    #expect {
      _ = try UserAgentParser(regexesPath: path)
    } throws: { error in
      guard let error = error as? UserAgentRulesError else { return false }
      return error.kind == .regexesNotFound && error.description.contains(path)
        && error.description.contains("apt-get install uap-core")
    }
  }

  @Test func invalidYAMLGivesLineAndColumn() throws {
    let error = try #require(try loadError("user_agent_parsers:\n  - regex: 'a\n  - [\n"))
    #expect(error.kind == .invalidYAML)
    #expect(error.mark != nil)
    #expect(error.description.hasPrefix(error.path + ": line "))
  }

  @Test func invalidRegexNamesEntryAndLine() throws {
    let yaml = """
      user_agent_parsers: []
      os_parsers:
        - regex: 'fine'
        - regex: 'broken(('
      device_parsers: []
      """
    let error = try #require(try loadError(yaml))
    #expect(error.kind == .invalidEntry)
    #expect(error.mark == YAMLMark(line: 4, column: 12))
    #expect(error.message.contains("entry 2 of os_parsers"))
    #expect(error.message.contains("broken(("))
  }

  @Test func unknownKeyIsRejected() throws {
    let yaml = """
      user_agent_parsers:
        - regex: 'a'
          v4_replacement: '1'
      os_parsers: []
      device_parsers: []
      """
    let error = try #require(try loadError(yaml))
    #expect(error.kind == .invalidEntry)
    #expect(error.mark == YAMLMark(line: 3, column: 5))
    #expect(error.message.contains("unknown key 'v4_replacement'"))
  }

  @Test func unsupportedFlagIsRejected() throws {
    let error = try #require(
      try loadError(
        "user_agent_parsers: []\nos_parsers: []\ndevice_parsers: [{regex: a, regex_flag: x}]"))
    #expect(error.kind == .invalidEntry)
    #expect(error.message.contains("entry 1 of device_parsers"))
    #expect(error.message.contains("regex_flag 'x'"))
  }

  @Test func entryWithoutRegexIsRejected() throws {
    let error = try #require(
      try loadError(
        "user_agent_parsers: [{family_replacement: x}]\nos_parsers: []\ndevice_parsers: []"))
    #expect(error.kind == .invalidEntry)
    #expect(error.message == "entry 1 of user_agent_parsers has no regex")
  }

  @Test func missingSectionIsRejected() throws {
    let error = try #require(try loadError("user_agent_parsers: []\nos_parsers: []\n"))
    #expect(error.kind == .invalidEntry)
    #expect(error.message == "missing the device_parsers list")
  }

  @Test func emptyFileIsRejected() throws {
    let error = try #require(try loadError(""))
    #expect(error.kind == .invalidEntry)
  }
}

@Suite struct YAMLDocumentTests {
  @Test func plainEmptyScalarIsNull() throws {
    let root = try #require(try YAMLDocument.parse(Array("a:\nb: ''\nc: ~\n".utf8), path: "t"))
    #expect(root.value(forKey: "a")?.isNull == true)
    #expect(root.value(forKey: "b")?.string == "")
    #expect(root.value(forKey: "c")?.string == nil)
  }

  @Test func marksCountFromOne() throws {
    let root = try #require(try YAMLDocument.parse(Array("list:\n  - x\n".utf8), path: "t"))
    let item = try #require(root.value(forKey: "list")?.items?.first)
    #expect(item.mark == YAMLMark(line: 2, column: 5))
  }

  @Test func selfReferencingAliasIsRejected() {
    #expect(throws: YAMLError.self) {
      _ = try YAMLDocument.parse(Array("a: &x [*x]\n".utf8), path: "t")
    }
  }
}
