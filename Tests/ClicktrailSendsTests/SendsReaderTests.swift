import ClicktrailCatalogue
import ClicktrailSends
import Foundation
import Testing

/// A catalogue with two short links of one campaign, for reading sends against.
let sendsCatalogue: Catalogue = {
  let json = """
    {
      "service": { "public_url": "https://go.example.com" },
      "traffic_sources": [
        { "name": "smsgw", "parameters": ["gender", "age"],
          "cost_model": { "type": "per_message", "value": 0.0079, "currency": "USD" } }
      ],
      "offers": [
        { "key": "trial", "url": "https://offers.example.net/go?sub1={clickid}",
          "payout": 2.5, "currency": "USD" }
      ],
      "campaigns": [
        { "key": "spring", "source": "smsgw",
          "destination": { "offers": [{ "key": "trial", "weight": 1 }] } }
      ],
      "short_links": [
        { "code": "k7Qx2", "campaign": "spring", "params": { "gender": "male", "age": "25-34" } },
        { "code": "k7Qx3", "campaign": "spring", "params": { "gender": "female", "age": "55+" } }
      ]
    }
    """
  return try! Catalogue.decode(Data(json.utf8))
}()

let maleKey = SendsKey(campaign: "spring", segment: "gender=male&age=25-34")
let femaleKey = SendsKey(campaign: "spring", segment: "gender=female&age=55%2B")

@Suite struct TwilioExportReadingTests {
  static let header =
    "From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,"
    + "Price,PriceUnit"
  static let account = "AC00000000000000000000000000000000"

  static func row(
    _ body: String, _ status: String, price: String, error: String = "",
    direction: String = "outbound-api", to: String = "+12125550101"
  ) -> String {
    "+12125550100,\(to),\(body),\(status),2026-11-02T14:00:00+00:00,2010-04-01,1,\(error),"
      + "\(account),SM00000000000000000000000000000001,\(direction),\(price),USD"
  }

  /// Lines 1 to 12; the quoted body of line 3 spans lines 3 and 4.
  static let text =
    [
      header,
      row("\"Hi, claim it: https://go.example.com/k7Qx2 now\"", "delivered", price: "-0.00790"),
      row("\"Two lines:\nhttps://go.example.com/k7Qx2\"", "delivered", price: "-0.00790"),
      row(
        "\"Sale \"\"today\"\" https://go.example.com/k7Qx3\"", "undelivered", price: "-0.00790",
        error: "30003"),
      row("https://go.example.com/k7Qx3", "failed", price: "", error: "30007"),
      row("https://go.example.com/k7Qx3", "delivered", price: "abc"),
      row("https://go.example.com/zzzzz", "delivered", price: "-0.00790"),
      row("https://go.example.com/k7Qx2", "delivered", price: "-0.00790") + ",extra",
      row("STOP", "received", price: "-0.00790", direction: "inbound", to: "+12125550100"),
      row("\"Offer, 2 parts: https://go.example.com/k7Qx3\"", "delivered", price: "-0.01580"),
      row("https://go.example.com/k7Qx2", "delivered", price: "-0.00790").replacingOccurrences(
        of: "delivered", with: "lost"),
    ].joined(separator: "\r\n") + "\r\n"

  let table: SendsTable

  init() throws {
    table = try SendsReader.parse(
      Array(Self.text.utf8), path: "sends.csv", catalogue: sendsCatalogue)
  }

  @Test func detectsTwilioExportByHeader() {
    #expect(table.format == .twilioExport)
  }

  @Test func countsDeliveredMessagesAcrossQuotedCommasAndLineBreaks() {
    #expect(table.totals[maleKey]?.delivered == 2)
    #expect(table.totals[maleKey]?.deliveredCost == Decimal(string: "0.0158"))
  }

  @Test func countsEachStatusApart() {
    let totals = table.totals[femaleKey]
    #expect(totals?.delivered == 1)
    #expect(totals?.undelivered == 1)
    #expect(totals?.failed == 1)
    #expect(totals?.deliveredCost == Decimal(string: "0.0158"))
    #expect(totals?.totalCost == Decimal(string: "0.0237"))
    #expect(totals?.currency == "USD")
  }

  @Test func reportsBadRowsWithTheirLines() {
    #expect(
      table.problems.map(\.description) == [
        "sends.csv:7: invalid Price 'abc': expected a decimal such as -0.00790",
        "sends.csv:8: unknown short link code 'zzzzz' in Body",
        "sends.csv:9: expected 13 fields as in the header, found 14",
        "sends.csv:12: unknown Status 'lost'",
      ])
  }

  @Test func skipsInboundReplies() {
    #expect(table.inboundRows == 1)
    #expect(table.countedRows == 5)
  }

  @Test func keepsPhoneNumbersOutOfProblems() {
    #expect(!table.problems.contains { $0.description.contains("555") })
  }

  @Test func reportsAnUnclosedQuote() throws {
    let text =
      Self.header + "\n" + Self.row("\"open https://go.example.com/k7Qx2", "sent", price: "")
    let table = try SendsReader.parse(Array(text.utf8), path: "cut.csv", catalogue: sendsCatalogue)
    #expect(
      table.problems.map(\.description) == [
        "cut.csv:2: a quoted field is not closed before the end of the file"
      ])
  }

  @Test func rejectsAnUnknownHeader() {
    #expect(throws: SendsReadError.self) {
      try SendsReader.parse(Array("a,b,c\n1,2,3\n".utf8), path: "x.csv", catalogue: sendsCatalogue)
    }
  }
}

@Suite struct AggregatedSendsReadingTests {
  static let text = """
    campaign,segment,delivered,cost,currency
    spring,gender=male&age=25-34,1200,9.48,USD
    spring,age=55%2B&gender=female,800,6.32,USD
    spring,age=55+&gender=female,100,0.79,USD
    autumn,gender=male&age=25-34,10,0.10,USD
    spring,gender=male&city=Berlin,10,0.10,USD
    spring,gender=male&age=25-34,ten,0.10,USD
    spring,gender=male&age=25-34,5,0.04,EUR

    """

  let table: SendsTable

  init() throws {
    table = try SendsReader.parse(Array(Self.text.utf8), path: "agg.csv", catalogue: sendsCatalogue)
  }

  @Test func detectsAggregatedFormatByHeader() {
    #expect(table.format == .aggregated)
  }

  @Test(arguments: [
    (name: "male segment", key: maleKey, delivered: 1200, cost: "9.48"),
    (
      name: "female segment in any order and encoding", key: femaleKey, delivered: 900, cost: "7.11"
    ),
  ])
  func sumsRowsPerSegment(name: String, key: SendsKey, delivered: Int, cost: String) {
    #expect(table.totals[key]?.delivered == delivered)
    #expect(table.totals[key]?.deliveredCost == Decimal(string: cost))
  }

  @Test func reportsBadRowsWithTheirLines() {
    #expect(
      table.problems.map(\.description) == [
        "agg.csv:5: unknown campaign 'autumn'",
        "agg.csv:6: segment parameter 'city' is not one of source smsgw's",
        "agg.csv:7: invalid delivered 'ten': expected a whole number from 0 to 1000000000000",
        "agg.csv:8: currency EUR differs from USD in earlier rows of campaign spring, segment "
          + "gender=male&age=25-34",
      ])
  }

  /// Two rows of Int.max messages for one segment, whose sum trapped while the file was read.
  @Test func hugeCountsAreRejected() throws {
    let text = """
      campaign,segment,delivered,cost,currency
      spring,gender=male&age=25-34,9223372036854775807,1,USD
      spring,gender=male&age=25-34,9223372036854775807,1,USD
      spring,gender=male&age=25-34,1000000000000,1,USD
      spring,gender=male&age=25-34,1,1,USD

      """
    let table = try SendsReader.parse(
      Array(text.utf8), path: "agg.csv", catalogue: sendsCatalogue)
    #expect(table.totals[maleKey]?.delivered == 1_000_000_000_000)
    #expect(
      table.problems.map(\.description) == [
        "agg.csv:2: invalid delivered '9223372036854775807': expected a whole number from 0 to "
          + "1000000000000",
        "agg.csv:3: invalid delivered '9223372036854775807': expected a whole number from 0 to "
          + "1000000000000",
        "agg.csv:5: the messages of campaign spring, segment gender=male&age=25-34 would exceed "
          + "1000000000000 with this row",
      ])
  }
}
