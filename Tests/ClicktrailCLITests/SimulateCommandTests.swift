import ClicktrailCLI
import Foundation
import Testing

@Suite struct SimulateCommandTests {
  @Test(arguments: [
    (name: "fast without events", arguments: ["--fast"], message: "--fast needs --events N"),
    (
      name: "events without fast", arguments: ["--events", "5"],
      message: "--events goes with --fast"
    ),
    (name: "too many recipients", arguments: ["--recipients", "50001"], message: "--recipients"),
    (name: "impossible date", arguments: ["--start", "2026-02-30"], message: "--start"),
    (name: "negative seed", arguments: ["--seed", "-1"], message: "--seed"),
  ])
  func invalidOptionIsUsageError(name: String, arguments: [String], message: String) {
    let console = CapturedConsole()
    let status = ClicktrailCommandLine.run(arguments: ["simulate"] + arguments, console: console)
    #expect(status == 64)
    #expect(console.error.contains(message))
  }

  @Test func printsSummaryToStandardError() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("simulate-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let console = CapturedConsole()
    let arguments = ["simulate", "--out", folder, "--recipients", "50", "--days", "1"]
    #expect(ClicktrailCommandLine.run(arguments: arguments, console: console) == 0)
    #expect(console.output.isEmpty)
    #expect(console.error.hasPrefix("messages 50, delivered "))
    #expect(FileManager.default.fileExists(atPath: folder + "/gateway-export.csv.gz"))
  }
}
