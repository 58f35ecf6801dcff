import ClicktrailCLI
import Testing

@Suite struct ArgumentParserTests {
  static let options: [OptionSpec] = [
    .flag("json", help: "JSON."),
    .value("out", "DIR", help: "Folder."),
    .value("by", "PARAM", repeatable: true, help: "Dimension."),
  ]

  @Test func parsesValuesFlagsAndPositionals() throws {
    let parsed = try ArgumentParser.parse(
      ["a", "--json", "--out", "dir", "b", "--by=gender", "--by", "age"], options: Self.options)
    #expect(parsed.positionals == ["a", "b"])
    #expect(parsed.flag("json"))
    #expect(parsed.value("out") == "dir")
    #expect(parsed.values["by"] == ["gender", "age"])
  }

  @Test func doubleDashEndsOptions() throws {
    let parsed = try ArgumentParser.parse(["--", "--json", "-"], options: Self.options)
    #expect(parsed.positionals == ["--json", "-"])
    #expect(!parsed.flag("json"))
  }

  @Test(arguments: [
    (["--nope"], "unknown option '--nope'"),
    (["-j"], "unknown option '-j'; options are spelled with two dashes"),
    (["--out"], "option '--out' needs a value (DIR)"),
    (["--json=yes"], "option '--json' takes no value"),
    (["--out", "a", "--out=b"], "option '--out' is given more than once"),
  ])
  func rejectsInvalidCommandLine(arguments: [String], message: String) {
    #expect(throws: UsageError(message)) {
      try ArgumentParser.parse(arguments, options: Self.options)
    }
  }
}
