import ClicktrailLog
import Foundation

/// The counts and sums of one report row, before ratios are derived.
public struct MetricCounts: Sendable, Equatable {
  /// Messages delivered, from the gateway's export; nil when no export covers the row.
  public var sends: Int?
  /// The delivered messages' price, from the export.
  public var sendsCost: Money?
  public var visits = 0
  public var uniqueVisits = 0
  public var clicks = 0
  public var previews = 0
  public var bots = 0
  /// Distinct conversions by final status: approved, pending, declined.
  public var conversionsByStatus = [0, 0, 0]
  /// Payouts by final status, in the order of `conversionsByStatus`.
  public var revenueByStatus = [Money(micros: 0), Money(micros: 0), Money(micros: 0)]
  /// The traffic cost; nil when it cannot be known (per-message cost without an export).
  public var cost: Money?

  public init() {}

  /// Conversions that count: approved and pending, not declined.
  public var conversions: Int { conversionsByStatus[0] + conversionsByStatus[1] }
  /// Approved revenue, the revenue that profit and ROI use.
  public var revenue: Money { revenueByStatus[0] }

  /// Adds the visits, clicks and conversions of a cell; sends, costs, bots and previews are
  /// added where a table adds them.
  mutating func add(_ cell: CellCounts) {
    visits += cell.visits
    clicks += cell.clicks
    for index in conversionsByStatus.indices {
      conversionsByStatus[index] += cell.conversions[index]
      revenueByStatus[index] = revenueByStatus[index] + cell.revenue[index]
    }
  }

  static func index(of status: PostbackEvent.Status) -> Int {
    switch status {
    case .approved: 0
    case .pending: 1
    case .declined: 2
    }
  }
}

/// One cell of a metric: an integer, an amount of money, a ratio, or empty when undefined.
public enum MetricValue: Sendable, Equatable {
  case count(Int)
  case money(Money)
  case ratio(Double)
  case empty

  /// The CSV text: counts as integers, money with 4 decimals, ratios with 6.
  public var text: String {
    switch self {
    case .count(let value): String(value)
    case .money(let money): MetricValue.decimal(micros: money.micros, places: 4)
    case .ratio(let value): MetricValue.ratioText(value)
    case .empty: ""
    }
  }

  /// Formats a ratio with 6 decimals. A ratio whose millionths do not fit `Int64` (an ROI
  /// over a cost of a few millionths, say) is written from the `Double`, rounded to 6
  /// decimals, and one that is not finite is empty.
  static func ratioText(_ value: Double) -> String {
    let scaled = (value * 1e6).rounded()
    guard scaled.isFinite else { return "" }
    guard let micros = Int64(exactly: scaled) else { return String(format: "%.6f", value) }
    return decimal(micros: micros, places: 6)
  }

  /// Formats millionths with `places` decimals, rounding half away from zero.
  static func decimal(micros: Int64, places: Int) -> String {
    var divisor: Int64 = 1
    for _ in places..<6 { divisor *= 10 }
    let magnitude = micros.magnitude
    let rounded = (magnitude + UInt64(divisor / 2)) / UInt64(divisor)
    var scale: UInt64 = 1
    for _ in 0..<places { scale *= 10 }
    let sign = micros < 0 && rounded > 0 ? "-" : ""
    let fraction = String(rounded % scale)
    let padded = String(repeating: "0", count: places - fraction.count) + fraction
    return "\(sign)\(rounded / scale).\(padded)"
  }
}

/// The metrics of a row in report column order, with their definitions.
public enum Metric: String, CaseIterable, Sendable {
  case sends, visits
  case uniqueVisits = "unique_visits"
  case clicks, conversions
  case conversionsApproved = "conversions_approved"
  case conversionsPending = "conversions_pending"
  case conversionsDeclined = "conversions_declined"
  case revenue
  case revenuePending = "revenue_pending"
  case revenueDeclined = "revenue_declined"
  case cost, profit, roi
  case smsCTR = "sms_ctr"
  case landerCTR = "lander_ctr"
  case cr
  case crClicks = "cr_clicks"
  case epv, epc, cpv, cpc, cpa, previews, bots

  /// The formula, as the report's definitions section states it.
  public var definition: String {
    switch self {
    case .sends: "messages delivered, from the gateway's export (empty without one)"
    case .visits: "hits on the campaign URL or a short link; previews and bots excluded"
    case .uniqueVisits: "distinct visitors per campaign and day, summed over days"
    case .clicks: "lander-to-offer clicks; for direct linking, equal to visits"
    case .conversions: "distinct conversions whose last status is approved or pending"
    case .conversionsApproved: "distinct conversions whose last status is approved"
    case .conversionsPending: "distinct conversions whose last status is pending"
    case .conversionsDeclined: "distinct conversions whose last status is declined"
    case .revenue: "payouts of approved conversions"
    case .revenuePending: "payouts of pending conversions"
    case .revenueDeclined: "payouts of declined conversions"
    case .cost: "traffic cost from the source's cost model"
    case .profit: "revenue - cost"
    case .roi: "profit / cost; empty when cost is 0 or unknown"
    case .smsCTR: "unique_visits / sends"
    case .landerCTR: "clicks / visits"
    case .cr: "conversions / visits"
    case .crClicks: "conversions / clicks"
    case .epv: "revenue / visits"
    case .epc: "revenue / clicks"
    case .cpv: "cost / visits"
    case .cpc: "cost / clicks"
    case .cpa: "cost / conversions"
    case .previews: "link-preview fetches, counted apart from visits"
    case .bots: "hits by crawlers and bots, counted apart from visits"
    }
  }

  /// Returns this metric's cell text for `counts`. A ratio is rounded half away from zero
  /// from the exact quotient of its integer numerator and denominator, not from a `Double`,
  /// whose error can move a quotient that ends in exactly 5 in the seventh decimal to the
  /// wrong side.
  public func text(_ counts: MetricCounts) -> String {
    guard let (numerator, denominator) = fraction(counts),
      let micros = Self.roundedMillionths(numerator, denominator)
    else { return value(counts).text }
    return MetricValue.decimal(micros: micros, places: 6)
  }

  /// Returns numerator / denominator in millionths, rounded half away from zero, or nil when
  /// that does not fit in 64 bits (a ratio past about 9.2 trillion, from huge payouts).
  static func roundedMillionths(_ numerator: Int128, _ denominator: Int128) -> Int64? {
    let magnitude =
      (2 * Int128(numerator.magnitude) * 1_000_000 + Int128(denominator.magnitude))
      / (2 * Int128(denominator.magnitude))
    let negative = (numerator < 0) != (denominator < 0)
    return Int64(exactly: negative ? -magnitude : magnitude)
  }

  /// Returns a ratio metric's exact numerator and denominator (amounts in millionths), or
  /// nil for a metric that is no ratio or a ratio that is undefined (empty) for `counts`.
  func fraction(_ counts: MetricCounts) -> (Int128, Int128)? {
    func defined(_ numerator: Int128, _ denominator: Int128) -> (Int128, Int128)? {
      denominator == 0 ? nil : (numerator, denominator)
    }
    // In 128 bits, so that no sum, difference or product of these counts can overflow.
    let revenue = Int128(counts.revenue.micros)
    let cost = counts.cost.map { Int128($0.micros) }
    let conversions = Int128(counts.conversions)
    let visits = Int128(counts.visits)
    let clicks = Int128(counts.clicks)
    switch self {
    case .roi: return cost.flatMap { defined(revenue - $0, $0) }
    case .smsCTR:
      return counts.sends.flatMap { defined(Int128(counts.uniqueVisits), Int128($0)) }
    case .landerCTR: return defined(clicks, visits)
    case .cr: return defined(conversions, visits)
    case .crClicks: return defined(conversions, clicks)
    case .epv: return defined(revenue, visits * 1_000_000)
    case .epc: return defined(revenue, clicks * 1_000_000)
    case .cpv: return cost.flatMap { defined($0, visits * 1_000_000) }
    case .cpc: return cost.flatMap { defined($0, clicks * 1_000_000) }
    case .cpa: return cost.flatMap { defined($0, conversions * 1_000_000) }
    default: return nil
    }
  }

  /// Returns this metric's value for `counts`.
  public func value(_ counts: MetricCounts) -> MetricValue {
    func ratio(_ numerator: Double, _ denominator: Double) -> MetricValue {
      denominator == 0 ? .empty : .ratio(numerator / denominator)
    }
    func perUnit(_ money: Money?, _ denominator: Int) -> MetricValue {
      guard let money, denominator > 0 else { return .empty }
      return .ratio(Double(money.micros) / 1e6 / Double(denominator))
    }
    let revenue = counts.revenue
    let profit = counts.cost.map { revenue - $0 }
    switch self {
    case .sends: return counts.sends.map { .count($0) } ?? .empty
    case .visits: return .count(counts.visits)
    case .uniqueVisits: return .count(counts.uniqueVisits)
    case .clicks: return .count(counts.clicks)
    case .conversions: return .count(counts.conversions)
    case .conversionsApproved: return .count(counts.conversionsByStatus[0])
    case .conversionsPending: return .count(counts.conversionsByStatus[1])
    case .conversionsDeclined: return .count(counts.conversionsByStatus[2])
    case .revenue: return .money(revenue)
    case .revenuePending: return .money(counts.revenueByStatus[1])
    case .revenueDeclined: return .money(counts.revenueByStatus[2])
    case .cost: return counts.cost.map { .money($0) } ?? .empty
    case .profit: return profit.map { .money($0) } ?? .empty
    case .roi:
      guard let profit, let cost = counts.cost, cost.micros != 0 else { return .empty }
      return .ratio(Double(profit.micros) / Double(cost.micros))
    case .smsCTR:
      guard let sends = counts.sends else { return .empty }
      return ratio(Double(counts.uniqueVisits), Double(sends))
    case .landerCTR: return ratio(Double(counts.clicks), Double(counts.visits))
    case .cr: return ratio(Double(counts.conversions), Double(counts.visits))
    case .crClicks: return ratio(Double(counts.conversions), Double(counts.clicks))
    case .epv: return perUnit(revenue, counts.visits)
    case .epc: return perUnit(revenue, counts.clicks)
    case .cpv: return perUnit(counts.cost, counts.visits)
    case .cpc: return perUnit(counts.cost, counts.clicks)
    case .cpa: return perUnit(counts.cost, counts.conversions)
    case .previews: return .count(counts.previews)
    case .bots: return .count(counts.bots)
    }
  }
}
