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

@Suite struct CommandLineConventionTests {
  @Test func shortHelpWorksForSubcommands() {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["verify", "-h"], console: console) == 0)
    #expect(console.output.hasPrefix("Usage: clicktrail verify"))
  }

  @Test func extraArgumentAfterVersionIsUsageError() {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["--version", "x"], console: console) == 64)
    #expect(console.error.hasPrefix("error: unexpected argument 'x' after '--version'"))
  }

  @Test func optionBeforeSubcommandIsExplained() {
    let console = CapturedConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["--json", "verify"], console: console) == 64)
    #expect(console.error.contains("options go after the subcommand"))
  }

  @Test func failedOutputWriteExits1() {
    let console = FailingConsole()
    #expect(ClicktrailCommandLine.run(arguments: ["--version"], console: console) == 1)
    #expect(console.errors.contains("error: could not write to standard output: No space left"))
  }
}

/// A console whose standard output fails, like a full disk or a closed descriptor.
final class FailingConsole: Console {
  private let captured = CapturedConsole()

  func writeOutput(_ text: String) {}
  func writeError(_ text: String) { captured.writeError(text) }
  var errorIsTerminal: Bool { false }
  var outputFailure: String? { "No space left on device" }
  var errors: String { captured.error }
}
