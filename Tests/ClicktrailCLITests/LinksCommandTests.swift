import ClicktrailCLI
import Foundation
import Testing

@Suite struct LinksCommandTests {
  static let example = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/catalogue.example.json").path

  static let exampleLines = [
    "spring\ttemplate\thttps://go.example.com/c/spring?gender=REPLACE&age=REPLACE\t",
    "spring\tgender=male&age=25-34\thttps://go.example.com/c/spring?gender=male&age=25-34"
      + "\thttps://go.example.com/k7Qx2",
    "spring\tgender=female&age=25-34\thttps://go.example.com/c/spring?gender=female&age=25-34"
      + "\thttps://go.example.com/k7Qx3",
    "direct\ttemplate\thttps://go.example.com/c/direct?city=REPLACE\t",
    "direct\tcity=Berlin\thttps://go.example.com/c/direct?city=Berlin"
      + "\thttps://go.example.com/pBer1",
  ]

  @Test func exampleOutput() {
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["links", "--config", Self.example], console: console)
    #expect(status == 0)
    #expect(console.output == Self.exampleLines.joined(separator: "\n") + "\n")
  }

  @Test func exampleWarnings() {
    let console = CapturedConsole()
    _ = ClicktrailCommandLine.run(arguments: ["links", "--config", Self.example], console: console)
    let expected = [
      "warning: campaign \"direct\", segment \"template\": the message is 117 UTF-16 code units "
        + "in UCS-2, over the 70 that fit one SMS; it takes 2 segments of up to 67",
      "warning: campaign \"direct\", segment \"city=Berlin\": the message is 101 UTF-16 code "
        + "units in UCS-2, over the 70 that fit one SMS; it takes 2 segments of up to 67",
    ]
    #expect(console.error == expected.joined(separator: "\n") + "\n")
  }

  @Test func messageOptionOverridesCampaigns() {
    let console = CapturedConsole()
    let message = String(repeating: "x", count: 130) + " {link}"
    let status = ClicktrailCommandLine.run(
      arguments: ["links", "--config", Self.example, "--message", message], console: console)
    #expect(status == 0)
    // Only the template lines overflow: 131 characters plus a 58- or 44-character URL.
    // The short links are 28 characters, so those texts take 159 and fit.
    let expected = [
      "warning: campaign \"spring\", segment \"template\": the message is 189 characters "
        + "in GSM-7, over the 160 that fit one SMS; it takes 2 segments of up to 153",
      "warning: campaign \"direct\", segment \"template\": the message is 175 characters "
        + "in GSM-7, over the 160 that fit one SMS; it takes 2 segments of up to 153",
    ]
    #expect(console.error == expected.joined(separator: "\n") + "\n")
  }

  @Test func badCatalogueExitsOne() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("clicktrail-links-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("catalogue.json")
    var text = try String(contentsOfFile: Self.example, encoding: .utf8)
    text = text.replacingOccurrences(of: "\"source\": \"gateway\"", with: "\"source\": \"smsgw\"")
    text = text.replacingOccurrences(of: "\"weight\": 3", with: "\"weight\": 0")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["links", "--config", file.path], console: console)
    #expect(status == 1)
    #expect(console.output.isEmpty)
    let lines = console.error.split(separator: "\n").map(String.init)
    #expect(
      lines == [
        "\(file.path): error: campaigns[0] (key \"spring\"): source \"smsgw\" is not a traffic "
          + "source; known sources: gateway, partner",
        "\(file.path): error: campaigns[0] (key \"spring\"): destination.landers[0].weight 0 "
          + "must be a whole number from 1 to 1000000",
        "error: the catalogue has 2 problems; fix and rerun",
      ])
  }

  @Test func missingFileExitsOne() {
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(
      arguments: ["links", "--config", "/nonexistent/catalogue.json"], console: console)
    #expect(status == 1)
    #expect(console.error.hasPrefix("/nonexistent/catalogue.json: error: cannot read the file"))
  }

  @Test(arguments: [
    ["links"], ["links", "--config"], ["links", "--config", "a.json", "extra"],
    ["links", "--config", "a.json", "--message", "no link here"],
  ])
  func usageErrorExits64(arguments: [String]) {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: arguments, console: console) == 64)
    #expect(console.error.contains("See 'clicktrail links --help'."))
  }

  @Test func helpNamesOptions() {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["links", "--help"], console: console) == 0)
    #expect(console.output.hasPrefix("Usage: clicktrail links --config FILE [--message TEMPLATE]"))
    #expect(console.output.contains("--config FILE"))
    #expect(console.output.contains("--message TEMPLATE"))
  }

  @Test func topHelpListsLinks() {
    let console = CapturedConsole()
    _ = ClicktrailCommandLine.run(arguments: ["--help"], console: console)
    #expect(console.output.contains("  links     Prints the links of every campaign segment"))
  }
}
