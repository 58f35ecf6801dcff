/// One of the three rule lists of regexes.yaml and the fields its rules produce.
struct RuleSection: Sendable {
  /// An output field: the key that may replace it, and the capture group it takes otherwise.
  struct Field: Sendable {
    let replacementKey: String
    let defaultGroup: Int?
  }

  let name: String
  let fields: [Field]

  /// Browser family, major, minor and patch.
  static let browser = RuleSection(
    name: "user_agent_parsers",
    fields: [
      Field(replacementKey: "family_replacement", defaultGroup: 1),
      Field(replacementKey: "v1_replacement", defaultGroup: 2),
      Field(replacementKey: "v2_replacement", defaultGroup: 3),
      Field(replacementKey: "v3_replacement", defaultGroup: 4),
    ])

  /// OS family, major, minor, patch and patch minor.
  static let os = RuleSection(
    name: "os_parsers",
    fields: [
      Field(replacementKey: "os_replacement", defaultGroup: 1),
      Field(replacementKey: "os_v1_replacement", defaultGroup: 2),
      Field(replacementKey: "os_v2_replacement", defaultGroup: 3),
      Field(replacementKey: "os_v3_replacement", defaultGroup: 4),
      Field(replacementKey: "os_v4_replacement", defaultGroup: 5),
    ])

  /// Device family, brand and model. The brand comes only from its replacement.
  static let device = RuleSection(
    name: "device_parsers",
    fields: [
      Field(replacementKey: "device_replacement", defaultGroup: 1),
      Field(replacementKey: "brand_replacement", defaultGroup: nil),
      Field(replacementKey: "model_replacement", defaultGroup: 1),
    ])
}

/// One entry of a rule list: its compiled regex and a template for each field of the section,
/// nil where the entry gives no replacement.
struct ParserRule: Sendable {
  let regex: CompiledRegex
  let templates: [ReplacementTemplate?]
}

/// The rules of one section, tried in file order.
struct RuleList: Sendable {
  let section: RuleSection
  let rules: [ParserRule]

  var maximumCaptureCount: Int { rules.map(\.regex.captureCount).max() ?? 0 }

  /// Returns the fields of the first rule whose regex matches `subject`, in the section's
  /// order, or nil when no rule matches.
  ///
  /// A field with a replacement is that template with `$1`...`$9` filled in. A field without
  /// one is its default capture group, or nil when that group is absent or took no part. Every
  /// value is trimmed of leading and trailing white space, and a value left empty is nil.
  func firstMatch(in subject: UnsafeBufferPointer<UInt8>, into data: RegexMatchData) -> [String?]? {
    for rule in rules where rule.regex.firstMatch(in: subject, into: data) {
      return zip(section.fields, rule.templates).map { field, template in
        value(of: field, template: template, subject: subject, data: data)
      }
    }
    return nil
  }

  private func value(
    of field: RuleSection.Field, template: ReplacementTemplate?,
    subject: UnsafeBufferPointer<UInt8>, data: RegexMatchData
  ) -> String? {
    let group = { (index: Int) -> String? in
      guard let range = data.range(ofGroup: index) else { return nil }
      return String(decoding: UnsafeBufferPointer(rebasing: subject[range]), as: UTF8.self)
    }
    let raw: String?
    if let template {
      raw = template.expand(group)
    } else if let index = field.defaultGroup {
      raw = group(index)
    } else {
      raw = nil
    }
    guard var text = raw?[...] else { return nil }
    while let first = text.first, first.isWhitespace {
      text.removeFirst()
    }
    while let last = text.last, last.isWhitespace {
      text.removeLast()
    }
    return text.isEmpty ? nil : String(text)
  }
}
