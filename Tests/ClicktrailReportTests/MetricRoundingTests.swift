import ClicktrailLog
import ClicktrailReport
import Testing

/// Ratio cells are rounded half away from zero from the exact quotient, as docs/metrics.md
/// states; a `Double` quotient such as 0.000249 / 2 lands just below the half and used to
/// round down.
@Suite struct MetricRoundingTests {
  static func counts(visits: Int, clicks: Int, costMicros: Int64) -> MetricCounts {
    var counts = MetricCounts()
    counts.visits = visits
    counts.clicks = clicks
    counts.cost = Money(micros: costMicros)
    return counts
  }

  @Test func exactHalfRoundsAwayFromZero() {
    // 101 / 2 = 50.5 millionths per visit; 249 / 2 = 124.5 per click.
    let counts = Self.counts(visits: 2, clicks: 2, costMicros: 101)
    #expect(Metric.cpv.text(counts) == "0.000051")
    let clicks = Self.counts(visits: 2, clicks: 2, costMicros: 249)
    #expect(Metric.cpc.text(clicks) == "0.000125")
  }

  @Test func negativeHalfRoundsAwayFromZero() {
    // Profit 1,999,999 - 2,000,000 = -1 over cost 2,000,000 is -0.0000005.
    var counts = MetricCounts()
    counts.revenueByStatus[0] = Money(micros: 1_999_999)
    counts.cost = Money(micros: 2_000_000)
    #expect(Metric.roi.text(counts) == "-0.000001")
  }

  @Test func zeroDenominatorIsEmpty() {
    let counts = Self.counts(visits: 0, clicks: 0, costMicros: 101)
    #expect(Metric.cpv.text(counts) == "")
    #expect(Metric.landerCTR.text(counts) == "")
    #expect(Metric.smsCTR.text(counts) == "")
  }
}
