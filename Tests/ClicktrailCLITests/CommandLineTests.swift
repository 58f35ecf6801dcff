import ClicktrailCLI
import Testing

@Suite struct CommandLineTests {
  @Test func emptyCommandLineRuns() {
    #expect(ClicktrailCommandLine.run(arguments: []) == 0)
  }
}
