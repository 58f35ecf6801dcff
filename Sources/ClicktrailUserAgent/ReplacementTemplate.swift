/// A `*_replacement` value from regexes.yaml, split once into literal text and `$1`...`$9`
/// references to capture groups.
struct ReplacementTemplate: Sendable, Equatable {
  enum Segment: Sendable, Equatable {
    case literal(String)
    case group(Int)
  }

  let segments: [Segment]

  /// Splits `text`: a `$` followed by a digit from 1 to 9 refers to that group, and any other
  /// `$` is literal text.
  init(_ text: String) {
    var segments: [Segment] = []
    var literal = ""
    var characters = text.makeIterator()
    var pending = characters.next()
    while let character = pending {
      pending = characters.next()
      if character == "$", let next = pending, let digit = next.wholeNumberValue,
        (1...9).contains(digit), next.isASCII
      {
        if !literal.isEmpty {
          segments.append(.literal(literal))
          literal = ""
        }
        segments.append(.group(digit))
        pending = characters.next()
      } else {
        literal.append(character)
      }
    }
    if !literal.isEmpty {
      segments.append(.literal(literal))
    }
    self.segments = segments
  }

  /// Returns the text with each reference replaced by its group's text, or by nothing when
  /// that group did not take part in the match or does not exist.
  func expand(_ group: (Int) -> String?) -> String {
    var result = ""
    for segment in segments {
      switch segment {
      case .literal(let text):
        result += text
      case .group(let index):
        result += group(index) ?? ""
      }
    }
    return result
  }
}
