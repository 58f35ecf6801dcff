/// A `clicktrail` subcommand: one type per subcommand, created from parsed arguments and run
/// against a console, so that tests call it without a process.
public protocol Subcommand {
  /// The word that selects the subcommand, such as `verify`.
  static var name: String { get }
  /// One sentence for the list of subcommands.
  static var summary: String { get }
  /// The usage line after `clicktrail`, such as `verify [--json] PATH...`.
  static var usage: String { get }
  /// Paragraphs explaining what the subcommand does, shown by `--help` before the options.
  static var discussion: String { get }
  /// The options the subcommand accepts, besides `--help`.
  static var options: [OptionSpec] { get }

  /// Validates the parsed arguments.
  /// - Throws: `UsageError` when a value is invalid or a required argument is missing.
  init(arguments: ParsedArguments) throws(UsageError)

  /// Runs the subcommand.
  /// - Returns: The exit status.
  /// - Throws: `CommandFailure` when the work cannot be done.
  func run(console: Console) throws(CommandFailure) -> ExitStatus
}

extension Subcommand {
  /// The text `clicktrail <name> --help` prints.
  public static var helpText: String {
    var text = "Usage: clicktrail \(usage)\n\n\(discussion)\n\nOptions:\n"
    let all = options + [.flag("help", help: "Shows this help and exits.")]
    for option in all {
      let label = option.valueName.map { "--\(option.name) \($0)" } ?? "--\(option.name)"
      text += "  \(label)\n"
      text += HelpFormatter.wrap(option.help, indent: 6, width: 80) + "\n"
    }
    return text
  }
}

/// Wraps help text to a terminal width.
enum HelpFormatter {
  /// Wraps `text` into lines of at most `width` columns, each indented by `indent` spaces.
  static func wrap(_ text: String, indent: Int, width: Int) -> String {
    let prefix = String(repeating: " ", count: indent)
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
      if !current.isEmpty && prefix.count + current.count + 1 + word.count > width {
        lines.append(prefix + current)
        current = ""
      }
      current += current.isEmpty ? String(word) : " " + word
    }
    if !current.isEmpty { lines.append(prefix + current) }
    return lines.joined(separator: "\n")
  }
}
