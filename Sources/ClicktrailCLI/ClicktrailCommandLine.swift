import Foundation

/// The entry point of the `clicktrail` executable: picks the subcommand, enforces the
/// help, version and usage-error conventions, and maps errors to exit statuses.
public enum ClicktrailCommandLine {
  /// The version `--version` prints.
  public static let version = "0.1.0"

  /// The subcommands, in the order the help lists them.
  static var subcommands: [any Subcommand.Type] {
    [
      ServeCommand.self, LinksCommand.self, SimulateCommand.self, ReportCommand.self,
      CompareCommand.self,
      VerifyCommand.self,
    ]
  }

  /// Runs the command line `arguments` (without the program name).
  /// - Returns: The exit status for the process.
  public static func run(arguments: [String], console: Console = ProcessConsole()) -> Int32 {
    guard let first = arguments.first else {
      console.writeError(usageFailure("no subcommand given", usage: topUsage, helpCommand: ""))
      return ExitStatus.usage.rawValue
    }
    switch first {
    case "--help", "-h", "help", "--version":
      guard arguments.count == 1 else {
        let message = "unexpected argument '\(arguments[1])' after '\(first)'"
        console.writeError(usageFailure(message, usage: topUsage, helpCommand: ""))
        return ExitStatus.usage.rawValue
      }
      console.writeOutput(first == "--version" ? "clicktrail \(version)\n" : topHelp)
      return finish(.success, console: console).rawValue
    default:
      break
    }
    guard let command = subcommands.first(where: { $0.name == first }) else {
      let message =
        first.hasPrefix("-")
        ? "unknown option '\(first)' before the subcommand; options go after the subcommand"
        : "unknown subcommand '\(first)'"
      console.writeError(usageFailure(message, usage: topUsage, helpCommand: ""))
      return ExitStatus.usage.rawValue
    }
    let status = run(command, arguments: Array(arguments.dropFirst()), console: console)
    return finish(status, console: console).rawValue
  }

  /// Turns a run whose output could not be written (a closed or full standard output) into
  /// a failure, so that scripts do not take a missing report for a clean one.
  private static func finish(_ status: ExitStatus, console: Console) -> ExitStatus {
    guard let failure = console.outputFailure else { return status }
    console.writeError("error: could not write to standard output: \(failure)\n")
    return .failure
  }

  private static func run(
    _ command: any Subcommand.Type, arguments: [String], console: Console
  ) -> ExitStatus {
    let helpOption = OptionSpec.flag("help", help: "")
    let usage = "clicktrail \(command.usage)"
    let subcommand: any Subcommand
    do {
      // -h is the one short option: the usual spelling of help.
      let arguments = arguments.map { $0 == "-h" ? "--help" : $0 }
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
