import Foundation

/// The entry point of the `clicktrail` executable: picks the subcommand, enforces the
/// help, version and usage-error conventions, and maps errors to exit statuses.
public enum ClicktrailCommandLine {
  /// The version `--version` prints.
  public static let version = "0.1.0"

  /// The subcommands, in the order the help lists them.
  static var subcommands: [any Subcommand.Type] {
    [ServeCommand.self, LinksCommand.self, VerifyCommand.self]
  }

  /// Runs the command line `arguments` (without the program name).
  /// - Returns: The exit status for the process.
  public static func run(arguments: [String], console: Console = ProcessConsole()) -> Int32 {
    guard let first = arguments.first else {
      console.writeError(usageFailure("no subcommand given", usage: topUsage, helpCommand: ""))
      return ExitStatus.usage.rawValue
    }
    switch first {
    case "--help", "-h", "help":
      console.writeOutput(topHelp)
      return ExitStatus.success.rawValue
    case "--version":
      console.writeOutput("clicktrail \(version)\n")
      return ExitStatus.success.rawValue
    default:
      break
    }
    guard let command = subcommands.first(where: { $0.name == first }) else {
      let message = "unknown subcommand '\(first)'"
      console.writeError(usageFailure(message, usage: topUsage, helpCommand: ""))
      return ExitStatus.usage.rawValue
    }
    return run(command, arguments: Array(arguments.dropFirst()), console: console).rawValue
  }

  private static func run(
    _ command: any Subcommand.Type, arguments: [String], console: Console
  ) -> ExitStatus {
    let helpOption = OptionSpec.flag("help", help: "")
    let usage = "clicktrail \(command.usage)"
    let subcommand: any Subcommand
    do {
      let parsed = try ArgumentParser.parse(arguments, options: command.options + [helpOption])
      if parsed.flag("help") {
        console.writeOutput(command.helpText)
        return .success
      }
      subcommand = try command.init(arguments: parsed)
    } catch {
      console.writeError(usageFailure(error.message, usage: usage, helpCommand: command.name))
      return .usage
    }
    do {
      return try subcommand.run(console: console)
    } catch {
      console.writeError("error: \(error.message)\n")
      return .failure
    }
  }

  private static var topUsage: String { "clicktrail <subcommand> [options]" }

  private static var topHelp: String {
    var text = """
      Usage: \(topUsage)

      Clicktrail tracks SMS campaign traffic: a redirect service logs visits, lander clicks \
      and conversion postbacks to gzip files, and batch commands turn the logs into reports.

      Subcommands:

      """
    let width = subcommands.map { $0.name.count }.max() ?? 0
    for command in subcommands {
      text += "  \(command.name.padding(toLength: width, withPad: " ", startingAt: 0))  "
      text += command.summary + "\n"
    }
    text += """

      Options:
        --help     Shows this help and exits.
        --version  Prints the version and exits.

      Run 'clicktrail <subcommand> --help' for a subcommand's options.

      """
    return text
  }

  private static func usageFailure(_ message: String, usage: String, helpCommand: String) -> String
  {
    let helpHint = helpCommand.isEmpty ? "clicktrail --help" : "clicktrail \(helpCommand) --help"
    return "error: \(message)\nUsage: \(usage)\nSee '\(helpHint)'.\n"
  }
}
