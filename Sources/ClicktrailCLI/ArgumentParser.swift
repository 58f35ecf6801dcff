/// An option that a subcommand accepts.
public struct OptionSpec: Sendable {
  /// The long name without dashes, such as `json`.
  public let name: String
  /// The placeholder for the value, such as `DIR`, or nil for a flag that takes none.
  public let valueName: String?
  /// Full sentences saying what the option sets, its unit and its default.
  public let help: String
  /// Whether the option may be given more than once.
  public let repeatable: Bool

  /// Creates an option that takes a value named `valueName`.
  public static func value(
    _ name: String, _ valueName: String, repeatable: Bool = false, help: String
  ) -> OptionSpec {
    OptionSpec(name: name, valueName: valueName, help: help, repeatable: repeatable)
  }

  /// Creates a flag, an option without a value.
  public static func flag(_ name: String, help: String) -> OptionSpec {
    OptionSpec(name: name, valueName: nil, help: help, repeatable: false)
  }
}

/// A command line split into options and positional arguments.
public struct ParsedArguments: Sendable, Equatable {
  /// The values given for each option that takes one, in command-line order.
  public var values: [String: [String]] = [:]
  /// The flags that were given.
  public var flags: Set<String> = []
  /// The positional arguments, in order.
  public var positionals: [String] = []

  /// Returns the last value given for `name`, or nil.
  public func value(_ name: String) -> String? { values[name]?.last }

  /// Returns whether the flag `name` was given.
  public func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// Parses arguments in the usual GNU long-option style: `--name value`, `--name=value`,
/// flags, positional arguments, and `--` to end the options.
public enum ArgumentParser {
  /// Parses `arguments` against `options`.
  /// - Throws: `UsageError` for an unknown option, a missing value, a value given to a
  ///   flag, or an option repeated that may appear once.
  public static func parse(
    _ arguments: [String], options: [OptionSpec]
  ) throws(UsageError) -> ParsedArguments {
    var parsed = ParsedArguments()
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard !optionsEnded, argument.hasPrefix("-"), argument != "-" else {
        parsed.positionals.append(argument)
        continue
      }
      if argument == "--" {
        optionsEnded = true
        continue
      }
      guard argument.hasPrefix("--") else {
        throw UsageError("unknown option '\(argument)'; options are spelled with two dashes")
      }
      let body = argument.dropFirst(2)
      let name: String
      var inlineValue: String?
      if let equals = body.firstIndex(of: "=") {
        name = String(body[..<equals])
        inlineValue = String(body[body.index(after: equals)...])
      } else {
        name = String(body)
      }
      guard let spec = options.first(where: { $0.name == name }) else {
        throw UsageError("unknown option '--\(name)'")
      }
      guard let valueName = spec.valueName else {
        if inlineValue != nil { throw UsageError("option '--\(name)' takes no value") }
        parsed.flags.insert(name)
        continue
      }
      let value: String
      if let inlineValue {
        value = inlineValue
      } else {
        guard index < arguments.count else {
          throw UsageError("option '--\(name)' needs a value (\(valueName))")
        }
        value = arguments[index]
        index += 1
      }
      if !spec.repeatable, parsed.values[name] != nil {
        throw UsageError("option '--\(name)' is given more than once")
      }
      parsed.values[name, default: []].append(value)
    }
    return parsed
  }
}
