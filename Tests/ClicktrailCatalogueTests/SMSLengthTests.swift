import ClicktrailCatalogue
import Testing

struct SMSCase: Sendable, CustomTestStringConvertible {
  let name: String
  let text: String
  let encoding: SMSLength.Encoding
  let units: Int
  let segments: Int

  var testDescription: String { name }
}

@Suite struct SMSLengthTests {
  static let cases: [SMSCase] = [
    SMSCase(name: "empty", text: "", encoding: .gsm7, units: 0, segments: 0),
    SMSCase(
      name: "160 plain", text: String(repeating: "a", count: 160), encoding: .gsm7, units: 160,
      segments: 1),
    SMSCase(
      name: "161 plain", text: String(repeating: "a", count: 161), encoding: .gsm7, units: 161,
      segments: 2),
    SMSCase(name: "euro counts two", text: "Now 5€", encoding: .gsm7, units: 7, segments: 1),
    SMSCase(
      name: "extension table", text: "[]{}\\^~|\u{0C}", encoding: .gsm7, units: 18, segments: 1),
    SMSCase(
      name: "accent outside GSM", text: "Ça coûte", encoding: .ucs2, units: 8, segments: 1),
    SMSCase(
      name: "GSM accents", text: "Ñandu è Øre £5 ¿Δ?", encoding: .gsm7, units: 18, segments: 1),
    SMSCase(name: "emoji forces UCS-2", text: "Hi 🎉", encoding: .ucs2, units: 5, segments: 1),
    SMSCase(
      name: "80 with euro", text: String(repeating: "€", count: 80), encoding: .gsm7,
      units: 160, segments: 1),
    SMSCase(
      name: "escape pair not split", text: String(repeating: "a", count: 152) + "€€",
      encoding: .gsm7, units: 156, segments: 1),
    SMSCase(
      name: "escape pair moves to next segment",
      text: String(repeating: "a", count: 152) + "€" + String(repeating: "b", count: 10),
      encoding: .gsm7, units: 164, segments: 2),
    SMSCase(
      name: "70 UCS-2", text: String(repeating: "ж", count: 70), encoding: .ucs2, units: 70,
      segments: 1),
    SMSCase(
      name: "71 UCS-2", text: String(repeating: "ж", count: 71), encoding: .ucs2, units: 71,
      segments: 2),
    SMSCase(
      name: "surrogate pair not split", text: String(repeating: "ж", count: 66) + "🎉🎉",
      encoding: .ucs2, units: 70, segments: 1),
    SMSCase(
      name: "surrogate pair moves to next segment",
      text: String(repeating: "ж", count: 66) + "🎉" + String(repeating: "ж", count: 5),
      encoding: .ucs2, units: 73, segments: 2),
    SMSCase(
      name: "CRLF is two septets", text: "a\r\nb", encoding: .gsm7, units: 4, segments: 1),
  ]

  @Test(arguments: cases)
  func lengthAndSegments(_ testCase: SMSCase) {
    let length = SMSLength(measuring: testCase.text)
    #expect(length.encoding == testCase.encoding)
    #expect(length.units == testCase.units)
    #expect(length.segments == testCase.segments)
  }

  @Test func limitsFollowEncoding() {
    let gsm = SMSLength(measuring: "a")
    let ucs = SMSLength(measuring: "ж")
    #expect(gsm.singleSegmentLimit == 160)
    #expect(gsm.concatenatedSegmentLimit == 153)
    #expect(ucs.singleSegmentLimit == 70)
    #expect(ucs.concatenatedSegmentLimit == 67)
  }

  @Test func gsmCosts() {
    #expect(SMSLength.gsm7Cost("@") == 1)
    #expect(SMSLength.gsm7Cost("€") == 2)
    #expect(SMSLength.gsm7Cost("`") == nil)
    #expect(SMSLength.gsm7Cost("ç") == nil)
  }
}
