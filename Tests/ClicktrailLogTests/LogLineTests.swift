import ClicktrailLog
import Testing

@Suite struct LogLineTests {
  static let awkwardValues = [
    "plain", "", "tab\there", "line\nfeed", "carriage\rreturn", "back\\slash", "\\t literal",
    "trailing\\", "ünïcødé ✓ 🎉", "\\\\\t\n\r",
  ]

  @Test(arguments: awkwardValues)
  func escapingRoundTrips(value: String) {
    let escaped = Array(FieldEscaping.escape(value).utf8)
    #expect(!escaped.contains(0x09))
    #expect(!escaped.contains(0x0A))
    #expect(!escaped.contains(0x0D))
    let restored = escaped.withUnsafeBufferPointer { FieldEscaping.unescape($0) }
    #expect(restored.map { String(decoding: $0, as: UTF8.self) } == value)
  }

  @Test(arguments: ["\\", "a\\x", "\\0"])
  func invalidEscapeIsRejected(field: String) {
    let bytes = Array(field.utf8)
    #expect(bytes.withUnsafeBufferPointer { FieldEscaping.unescape($0) } == nil)
  }

  @Test func clickEventRoundTrips() throws {
    for value in Self.awkwardValues {
      let event = ClickEvent(
        timestamp: 1_764_806_400_123, kind: .visit, clickID: "AbC_-09xyz", campaign: value,
        source: value, lander: value, offer: value, params: "gender=male&age=25-34",
        visitor: value, ip: "203.0.113.0", userAgent: value, referrer: value)
      var line: [UInt8] = []
      LogLineEncoder.append(event, to: &line)
      #expect(line.last == 0x0A)
      let decoded = try line.dropLast().withUnsafeBufferPointer {
        try LogSchema(stream: .clicks).decode(line: $0)
      }
      #expect(decoded.record == .click(event))
      #expect(!decoded.repairedUTF8)
    }
  }

  @Test func postbackEventRoundTrips() throws {
    let events = [
      PostbackEvent(
        timestamp: 5, clickID: "abc", transactionID: "t\t1", status: .approved,
        payout: Money(micros: 1_500_000), currency: "USD", network: "net", ip: "198.51.100.7",
        params: "goal=sale"),
      PostbackEvent(
        timestamp: 6, clickID: "bad id\n", status: nil, payout: nil, accepted: false,
        rejectReason: "malformed_click_id"),
      PostbackEvent(
        timestamp: 7, clickID: "x", status: .declined, payout: Money(micros: -250_000)),
    ]
    for event in events {
      var line: [UInt8] = []
      LogLineEncoder.append(event, to: &line)
      let decoded = try line.dropLast().withUnsafeBufferPointer {
        try LogSchema(stream: .postbacks).decode(line: $0)
      }
      #expect(decoded.record == .postback(event))
    }
  }

  @Test func writerCapsLongValues() {
    let event = ClickEvent(
      timestamp: 1, kind: .click, clickID: "a", campaign: "c",
      userAgent: String(repeating: "é", count: 5000))
    var line: [UInt8] = []
    let truncated = LogLineEncoder.append(event, to: &line)
    #expect(truncated == 1)
    #expect(line.count < 2048 + 100)
    #expect(String(validating: line, as: UTF8.self) != nil)
  }

  @Test(arguments: [
    ("12\tvisit", "expected 12 columns, found 2"),
    ("x\tvisit\tid\tc\ts\tl\to\tp\tv\ti\tu\tr", "invalid ts 'x' (expected Unix milliseconds)"),
    (
      "1\tleave\tid\tc\ts\tl\to\tp\tv\ti\tu\tr",
      "unknown event 'leave' (expected visit, click or preview)"
    ),
    ("1\tvisit\tid!\tc\ts\tl\to\tp\tv\ti\tu\tr", "invalid click_id 'id!'"),
    ("1\tvisit\tid\tc\\q\ts\tl\to\tp\tv\ti\tu\tr", "invalid escape in column 'campaign'"),
  ])
  func malformedClickLineIsRejected(line: String, reason: String) {
    let bytes = Array(line.utf8)
    #expect(throws: LineRejection(reason)) {
      try bytes.withUnsafeBufferPointer { try LogSchema(stream: .clicks).decode(line: $0) }
    }
  }

  @Test func invalidUTF8IsRepairedAndFlagged() throws {
    var bytes = Array("1\tvisit\tid\tc\ts\tl\to\tp\tv\ti\t".utf8)
    bytes += [0x66, 0xFF, 0x67]
    bytes += Array("\tr".utf8)
    let decoded = try bytes.withUnsafeBufferPointer {
      try LogSchema(stream: .clicks).decode(line: $0)
    }
    #expect(decoded.repairedUTF8)
    guard case .click(let event) = decoded.record else {
      Issue.record("expected a click record")
      return
    }
    #expect(event.userAgent == "f\u{FFFD}g")
  }

  @Test func headerWithExtraColumnIsAccepted() throws {
    let header = Array(("extra\t" + LogStream.postbacks.headerLine).utf8)
    let schema = try header.withUnsafeBufferPointer { try LogSchema(headerLine: $0) }
    #expect(schema.stream == .postbacks)
    #expect(schema.columnCount == LogStream.postbacks.columns.count + 1)
  }

  @Test func headerMissingColumnIsRejected() {
    let header = Array("ts\tevent\tclick_id".utf8)
    #expect(throws: LineRejection("clicks header lacks the column 'campaign'")) {
      try header.withUnsafeBufferPointer { try LogSchema(headerLine: $0) }
    }
  }

  @Test(arguments: [("12", 12_000_000), ("-0.5", -500_000), ("3.141592", 3_141_592)])
  func moneyParses(text: String, micros: Int64) {
    #expect(Money(parsing: Array(text.utf8))?.micros == micros)
  }

  @Test(arguments: ["", "-", ".5", "5.", "1.2345678", "1e3", "1,000", "99999999999999999999"])
  func moneyRejects(text: String) {
    #expect(Money(parsing: Array(text.utf8)) == nil)
  }

  @Test func moneyArithmeticClamps() {
    #expect((Money(micros: .max) + Money(micros: 1)).micros == .max)
    #expect((Money(micros: .min) + Money(micros: -1)).micros == .min)
    #expect((Money(micros: .min) - Money(micros: 1)).micros == .min)
    #expect((Money(micros: 5) - Money(micros: 7)).micros == -2)
    #expect((Money(micros: 5) + Money(micros: -7)).micros == -2)
  }
}
