import ClicktrailCLI
import ClicktrailReport
import Foundation
import Testing

/// Every value here is computed by hand from `ReportFixture`; the comments show the sums.
@Suite struct ReportValuesTests {
  @Test func campaignRowsMatchHandComputedValues() throws {
    let fixture = try ReportFixture()
    let (status, console) = fixture.report()
    #expect(status == 0, "\(console.error)")
    let alpha = try #require(try fixture.row("campaigns.csv", ["alpha", "sms"]))
    // sends: 100 + 50 + 10 delivered; visits v1 v2 v3 v5 (v4 is Googlebot).
    #expect(alpha["sends"] == "160")
    #expect(alpha["visits"] == "4")
    // vA twice on 10-25 counts once, vB on 10-25, v5's IP and agent on 10-26.
    #expect(alpha["unique_visits"] == "3")
    #expect(alpha["clicks"] == "2")
    // v1/t1 pending then approved; v3/t3a approved; v3/t3b declined; v5 expired.
    #expect(alpha["conversions"] == "2")
    #expect(alpha["conversions_approved"] == "2")
    #expect(alpha["conversions_pending"] == "0")
    #expect(alpha["conversions_declined"] == "1")
    #expect(alpha["revenue"] == "4.5000")
    #expect(alpha["revenue_pending"] == "0.0000")
    #expect(alpha["revenue_declined"] == "1.0000")
    #expect(alpha["cost"] == "1.6000")
    #expect(alpha["profit"] == "2.9000")
    #expect(alpha["roi"] == "1.812500")
    #expect(alpha["sms_ctr"] == "0.018750")
    #expect(alpha["lander_ctr"] == "0.500000")
    #expect(alpha["cr"] == "0.500000")
    #expect(alpha["cr_clicks"] == "1.000000")
    #expect(alpha["epv"] == "1.125000")
    #expect(alpha["epc"] == "2.250000")
    #expect(alpha["cpv"] == "0.400000")
    #expect(alpha["cpc"] == "0.800000")
    #expect(alpha["cpa"] == "0.800000")
    #expect(alpha["previews"] == "1")
    #expect(alpha["bots"] == "1")
  }

  @Test func directLinkingCampaignUsesDefaultPayoutAndCPC() throws {
    let fixture = try ReportFixture()
    _ = fixture.report()
    let beta = try #require(try fixture.row("campaigns.csv", ["beta", "ads"]))
    // One visit in range (v7 is on 10-27); direct linking: clicks = visits.
    #expect(beta["visits"] == "1")
    #expect(beta["clicks"] == "1")
    #expect(beta["sends"] == "0")
    #expect(beta["sms_ctr"] == "")
    // No payout in the postback: the offer's default of 3.
    #expect(beta["revenue"] == "3.0000")
    // CPC 0.05 per visit.
    #expect(beta["cost"] == "0.0500")
    #expect(beta["profit"] == "2.9500")
    #expect(beta["roi"] == "59.000000")
    #expect(beta["lander_ctr"] == "1.000000")
  }

  @Test func segmentRowsSplitSendsAndVisits() throws {
    let fixture = try ReportFixture()
    _ = fixture.report()
    let male = try #require(try fixture.row("param-gender.csv", ["alpha", "male"]))
    #expect(male["sends"] == "110")
    #expect(male["cost"] == "1.1000")
    #expect(male["visits"] == "2")
    #expect(male["unique_visits"] == "1")
    #expect(male["revenue"] == "2.0000")
    let female = try #require(try fixture.row("param-gender.csv", ["alpha", "female"]))
    #expect(female["sends"] == "50")
    #expect(female["visits"] == "2")
    #expect(female["unique_visits"] == "2")
    #expect(female["conversions_declined"] == "1")
    let noAge = try #require(try fixture.row("param-age.csv", ["alpha", "(none)"]))
    #expect(noAge["visits"] == "1")
    #expect(noAge["sends"] == "0")
    let olderMen = try #require(try fixture.row("param-age.csv", ["alpha", "25-34"]))
    // 50 women and 10 men aged 25-34 were sent to; only v3 visited.
    #expect(olderMen["sends"] == "60")
    #expect(olderMen["visits"] == "1")
  }

  @Test func daylightSavingDayHasTwoHoursNamedTwo() throws {
    let fixture = try ReportFixture()
    _ = fixture.report()
    let rows = try fixture.csv("hours.csv").dropFirst().filter { $0[3] == "alpha" }
    #expect(
      rows.map { Array($0.prefix(3)) } == [
        ["2026-10-25", "02", "UTC+02:00"], ["2026-10-25", "02", "UTC+01:00"],
        ["2026-10-25", "13", "UTC+01:00"], ["2026-10-26", "10", "UTC+01:00"],
      ])
    let header = try fixture.csv("hours.csv")[0]
    let visits = header.firstIndex(of: "visits")!
    #expect(rows.map { $0[visits] } == ["1", "1", "1", "1"])
    let days = try fixture.csv("days.csv").dropFirst().filter { $0[1] == "alpha" }
    #expect(days.map { $0[0] } == ["2026-10-25", "2026-10-26"])
    #expect(days.map { $0[header.firstIndex(of: "visits")! - 2] } == ["3", "1"])
  }

  @Test func postbackProblemsAreListed() throws {
    let fixture = try ReportFixture()
    _ = fixture.report()
    let rows = try fixture.csv("postback-problems.csv").dropFirst()
    #expect(rows.map { $0[1] } == ["orphan", "rejected", "duplicate", "expired"])
    #expect(rows.map { $0[2] } == ["ZZZZZZZZZZZZZZZZZZZZ", "v3", "v1", "v5"])
  }

  @Test func accountingBalances() throws {
    let fixture = try ReportFixture()
    _ = fixture.report()
    let data = try Data(contentsOf: URL(fileURLWithPath: fixture.outputPath + "/summary.json"))
    let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let accounting = try #require(summary["accounting"] as? [String: Any])
    let lines = try #require(accounting["lines_read"] as? Int)
    let events = try #require(accounting["events"] as? Int)
    let other = try #require(accounting["lines_not_events"] as? Int)
    #expect(lines == events + other)
    // 10 click events (a preview, 7 visits, 2 clicks) and 10 postbacks.
    #expect(events == 20)
    #expect(accounting["visits_in_range"] as? Int == 5)
    #expect(accounting["visits_outside_range"] as? Int == 1)
    #expect(accounting["bots"] as? Int == 1)
    #expect(accounting["conversions"] as? Int == 4)
    #expect(accounting["conversions_outside_range"] as? Int == 1)
    #expect(accounting["status_updates"] as? Int == 1)
  }

  @Test func conversionsCanCountOnPostbackDay() throws {
    let fixture = try ReportFixture()
    _ = fixture.report(["--conversion-day", "postback"])
    let header = try fixture.csv("days.csv")[0]
    let approved = header.firstIndex(of: "conversions_approved")!
    let days = try fixture.csv("days.csv").dropFirst().filter { $0[1] == "alpha" }
    // v1's conversion turned approved on 10-26 (11:00 CET); v3's stays on 10-25.
    #expect(days.map { $0[approved] } == ["1", "1"])
    let visitDay = try ReportFixture()
    _ = visitDay.report()
    let byVisit = try visitDay.csv("days.csv").dropFirst().filter { $0[1] == "alpha" }
    #expect(byVisit.map { $0[approved] } == ["2", "0"])
  }
}

@Suite struct ReportDimensionTests {
  @Test func combinationTableGroupsBothParameters() throws {
    let fixture = try ReportFixture()
    #expect(fixture.report(["--by", "gender,age"]).status == 0)
    let young = try #require(try fixture.row("by-gender-age.csv", ["alpha", "male", "18-24"]))
    #expect(young["sends"] == "100")
    #expect(young["visits"] == "2")
    #expect(young["unique_visits"] == "1")
    #expect(young["conversions"] == "1")
    let unvisited = try #require(try fixture.row("by-gender-age.csv", ["alpha", "male", "25-34"]))
    #expect(unvisited["sends"] == "10")
    #expect(unvisited["visits"] == "0")
    #expect(unvisited["cost"] == "0.1000")
    #expect(unvisited["sms_ctr"] == "0.000000")
    #expect(unvisited["cr"] == "")
  }

  @Test func landerOfferAndDeviceTables() throws {
    let fixture = try ReportFixture()
    _ = fixture.report()
    let lander = try #require(try fixture.row("landers.csv", ["alpha", "l1"]))
    #expect(lander["visits"] == "4")
    #expect(lander["clicks"] == "2")
    #expect(lander["cost"] == "")
    let direct = try #require(try fixture.row("landers.csv", ["beta", "(none)"]))
    #expect(direct["visits"] == "1")
    // v1 and v3 clicked to o1; v2 and v5 never clicked.
    let clicked = try #require(try fixture.row("offers.csv", ["alpha", "o1"]))
    #expect(clicked["visits"] == "2")
    #expect(clicked["revenue"] == "4.5000")
    let unclicked = try #require(try fixture.row("offers.csv", ["alpha", "(none)"]))
    #expect(unclicked["visits"] == "2")
    #expect(unclicked["revenue"] == "0.0000")
    let iPhone = try #require(
      try fixture.row("devices.csv", ["alpha", "mobile", "iOS", "Mobile Safari"]))
    #expect(iPhone["visits"] == "2")
    let android = try #require(
      try fixture.row("devices.csv", ["alpha", "mobile", "Android", "Chrome Mobile"]))
    #expect(android["visits"] == "1")
    let windows = try #require(
      try fixture.row("devices.csv", ["alpha", "desktop", "Windows", "Chrome"]))
    #expect(windows["visits"] == "1")
  }
}
