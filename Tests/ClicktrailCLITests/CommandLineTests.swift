import ClicktrailCLI
import Testing

@Suite struct CommandLineTests {
  @Test func helpGoesToStandardOutput() {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["--help"], console: console) == 0)
    #expect(console.output.hasPrefix("Usage: clicktrail <subcommand> [options]"))
    #expect(console.error.isEmpty)
  }

  @Test func versionGoesToStandardOutput() {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["--version"], console: console) == 0)
    #expect(console.output == "clicktrail \(ClicktrailCommandLine.version)\n")
  }

  @Test(arguments: [[], ["frobnicate"]])
  func usageErrorExits64(arguments: [String]) {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: arguments, console: console) == 64)
    #expect(console.output.isEmpty)
    #expect(console.error.hasPrefix("error: "))
    #expect(console.error.contains("See 'clicktrail --help'."))
  }
}
