/// The length of an SMS text in the encoding a phone would pick, and how many segments it
/// takes.
///
/// A text that uses only the GSM 03.38 default alphabet and its extension table goes as
/// GSM-7: 160 septets fit one SMS, and a concatenated message carries 153 per segment because
/// the user data header takes the rest. Extension characters (`€ [ ] { } \ ^ ~ |` and form
/// feed) take two septets, an escape and the character, and are never split between segments.
/// Any other character makes the whole text UCS-2: 70 UTF-16 code units fit one SMS, 67 per
/// segment when concatenated, and a surrogate pair is never split.
public struct SMSLength: Sendable, Equatable {
  /// The character encoding of an SMS.
  public enum Encoding: String, Sendable {
    /// The GSM 03.38 7-bit default alphabet.
    case gsm7 = "GSM-7"
    /// UCS-2, as phones send it: UTF-16 code units.
    case ucs2 = "UCS-2"
  }

  /// The encoding the text needs.
  public let encoding: Encoding
  /// The length in septets for GSM-7, in UTF-16 code units for UCS-2.
  public let units: Int
  /// The number of segments the text takes.
  public let segments: Int

  /// The units that fit one SMS in `encoding`: 160 or 70.
  public var singleSegmentLimit: Int { encoding == .gsm7 ? 160 : 70 }
  /// The units per segment of a concatenated message in `encoding`: 153 or 67.
  public var concatenatedSegmentLimit: Int { encoding == .gsm7 ? 153 : 67 }
  /// Whether the text fits one SMS.
  public var fitsOneSegment: Bool { segments <= 1 }

  /// Measures `text`.
  public init(measuring text: String) {
    let gsmCosts = text.unicodeScalars.map(Self.gsm7Cost)
    let costs: [Int]
    if gsmCosts.contains(nil) {
      encoding = .ucs2
      costs = text.unicodeScalars.map { $0.utf16.count }
    } else {
      encoding = .gsm7
      costs = gsmCosts.map { $0! }
    }
    units = costs.reduce(0, +)
    let single = encoding == .gsm7 ? 160 : 70
    let perSegment = encoding == .gsm7 ? 153 : 67
    if units <= single {
      segments = units == 0 ? 0 : 1
      return
    }
    var count = 1
    var filled = 0
    for cost in costs {
      if filled + cost > perSegment {
        count += 1
        filled = 0
      }
      filled += cost
    }
    segments = count
  }

  /// Returns the septets `scalar` takes in GSM-7: 1 in the default alphabet, 2 in the
  /// extension table, nil when GSM-7 cannot carry it.
  public static func gsm7Cost(_ scalar: Unicode.Scalar) -> Int? {
    if basicAlphabet.contains(scalar) { return 1 }
    if extensionTable.contains(scalar) { return 2 }
    return nil
  }

  // MARK: - GSM 03.38 tables

  /// The default alphabet, in code order 0x00 to 0x7F, without the escape code 0x1B.
  private static let basicAlphabet: Set<Unicode.Scalar> = Set(
    ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)

  /// The extension table, each reached with the escape code 0x1B.
  private static let extensionTable: Set<Unicode.Scalar> = Set(
    "\u{0C}^{}\\[~]|€".unicodeScalars)
}
