/// A failure to load regexes.yaml: the file, the position in it when known, and what is wrong.
public struct UserAgentRulesError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The file does not exist, which usually means Debian's uap-core is not installed.
    case regexesNotFound
    case unreadable
    case invalidYAML
    /// The YAML is valid, but a list or an entry is not what the ua-parser specification
    /// describes, or an entry's regex does not compile.
    case invalidEntry
  }

  public let kind: Kind
  public let path: String
  public let mark: YAMLMark?
  public let message: String

  public var description: String {
    if let mark {
      return "\(path): \(mark): \(message)"
    }
    return "\(path): \(message)"
  }
}

extension RuleList {
  /// Reads the section's list from the root mapping of regexes.yaml and compiles every regex.
  ///
  /// An entry needs a `regex`. It may have `regex_flag: 'i'` for case-insensitive matching
  /// and the section's `*_replacement` keys. Any other key is rejected, because a key that this
  /// parser ignored would silently change results. A null replacement counts as absent.
  static func load(
    _ section: RuleSection, from root: YAMLNode, path: String
  ) throws(UserAgentRulesError) -> RuleList {
    func invalid(_ message: String, at mark: YAMLMark) -> UserAgentRulesError {
      UserAgentRulesError(kind: .invalidEntry, path: path, mark: mark, message: message)
    }
    guard let list = root.value(forKey: section.name) else {
      throw invalid("missing the \(section.name) list", at: root.mark)
    }
    guard let entries = list.items else {
      throw invalid("\(section.name) is not a list", at: list.mark)
    }
    let replacementKeys = section.fields.map(\.replacementKey)
    var rules: [ParserRule] = []
    for (offset, entry) in entries.enumerated() {
      let name = "entry \(offset + 1) of \(section.name)"
      guard let pairs = entry.pairs else {
        throw invalid("\(name) is not a mapping", at: entry.mark)
      }
      var pattern: String?
      var caseInsensitive = false
      var templates = [ReplacementTemplate?](repeating: nil, count: replacementKeys.count)
      for pair in pairs {
        let key = pair.key.string ?? ""
        if case .mapping = pair.value.content {
          throw invalid("\(name): \(key) must be a string", at: pair.value.mark)
        }
        if case .sequence = pair.value.content {
          throw invalid("\(name): \(key) must be a string", at: pair.value.mark)
        }
        let text = pair.value.string
        if key == "regex" {
          pattern = text
        } else if key == "regex_flag" {
          guard text == nil || text == "i" else {
            throw invalid(
              "\(name): regex_flag '\(text ?? "")' is not supported; use 'i'", at: pair.value.mark)
          }
          caseInsensitive = text == "i"
        } else if let index = replacementKeys.firstIndex(of: key) {
          templates[index] = text.map(ReplacementTemplate.init)
        } else {
          let allowed = (["regex", "regex_flag"] + replacementKeys).joined(separator: ", ")
          throw invalid(
            "\(name): unknown key '\(key)'; expected one of \(allowed)", at: pair.key.mark)
        }
      }
      guard let pattern, !pattern.isEmpty else {
        throw invalid("\(name) has no regex", at: entry.mark)
      }
      do {
        let regex = try CompiledRegex(pattern: pattern, caseInsensitive: caseInsensitive)
        rules.append(ParserRule(regex: regex, templates: templates))
      } catch {
        throw invalid(
          "\(name): regex '\(pattern)' does not compile: \(error.message) at byte \(error.offset)",
          at: entry.value(forKey: "regex")?.mark ?? entry.mark)
      }
    }
    return RuleList(section: section, rules: rules)
  }
}
