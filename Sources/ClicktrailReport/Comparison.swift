/// A period of a comparison: inclusive local days.
public struct ComparisonPeriod: Sendable, Equatable, CustomStringConvertible {
  public var from: LocalDate
  public var to: LocalDate

  public init(from: LocalDate, to: LocalDate) {
    self.from = from
    self.to = to
  }

  /// The number of days, at least 1 for a valid period.
  public var days: Int { Int(to.daysSinceEpoch - from.daysSinceEpoch) + 1 }

  /// Whether the two periods share at least one day.
  public func overlaps(_ other: ComparisonPeriod) -> Bool {
    from <= other.to && other.from <= to
  }

  public var description: String { "\(from)..\(to)" }
}

/// The rates that `compare` tests: successes over trials of one row.
public enum ComparedRate: CaseIterable, Sendable {
  case smsCTR, landerCTR, cr

  public var metric: Metric {
    switch self {
    case .smsCTR: .smsCTR
    case .landerCTR: .landerCTR
    case .cr: .cr
    }
  }

  /// The successes and trials of `counts`; nil trials when they are unknown.
  func trial(_ counts: MetricCounts) -> (successes: Int, trials: Int?) {
    switch self {
    case .smsCTR: (counts.uniqueVisits, counts.sends)
    case .landerCTR: (counts.clicks, counts.visits)
    case .cr: (counts.conversions, counts.visits)
    }
  }
}

/// What the test of one rate in one row concluded.
public enum Verdict: String, Sendable {
  /// Significant after Benjamini-Hochberg at q = 0.05 within the table and metric.
  case yes
  case no
  /// Not tested: a trial count is 0 or an expected count is below 5.
  case tooSmall = "too_small"
  /// Not tested: the trials are unknown, or the rate exceeds 1 so it is no proportion.
  case notApplicable = "not_applicable"
  case onlyA = "only_a"
  case onlyB = "only_b"
}

/// The test of one rate in one row.
public struct RateTest: Sendable {
  public var pValue: Double? = nil
  public var interval: (low: Double, high: Double)? = nil
  public var verdict: Verdict
}

/// One row of a compared table: the counts of each period, nil where the row is missing.
public struct ComparisonRow: Sendable {
  public var keys: [String]
  public var a: MetricCounts?
  public var b: MetricCounts?
  /// One test per `ComparedRate.allCases`, in that order.
  public var tests: [RateTest]

  /// `both`, `only_a` or `only_b`.
  public var presence: String {
    switch (a, b) {
    case (_?, nil): "only_a"
    case (nil, _?): "only_b"
    default: "both"
    }
  }
}

/// One report table compared between the periods.
public struct ComparisonTable: Sendable {
  public var name: String
  public var title: String
  public var dimensions: [String]
  public var rows: [ComparisonRow]
}

/// Two periods' reports set side by side, with a test of every rate in every row.
public struct Comparison: Sendable {
  public var a: ComparisonPeriod
  public var b: ComparisonPeriod
  public var tables: [ComparisonTable]
  /// The false discovery rate of the Benjamini-Hochberg procedure.
  public static let falseDiscoveryRate = 0.05

  /// Pairs the rows of every table by their keys: A's rows in A's order, then the rows
  /// only B has in B's order.
  public init(
    a: ComparisonPeriod, b: ComparisonPeriod, tablesA: [ReportTable], tablesB: [ReportTable]
  ) {
    self.a = a
    self.b = b
    var tables: [ComparisonTable] = []
    for tableA in tablesA {
      let tableB = tablesB.first { $0.name == tableA.name }
      var rows: [ComparisonRow] = []
      var index: [[String]: Int] = [:]
      for row in tableA.rows {
        index[row.keys] = rows.count
        rows.append(ComparisonRow(keys: row.keys, a: row.counts, b: nil, tests: []))
      }
      for row in tableB?.rows ?? [] {
        if let position = index[row.keys] {
          rows[position].b = row.counts
        } else {
          rows.append(ComparisonRow(keys: row.keys, a: nil, b: row.counts, tests: []))
        }
      }
      Self.test(&rows)
      tables.append(
        ComparisonTable(
          name: tableA.name, title: tableA.title, dimensions: tableA.dimensions, rows: rows))
    }
    self.tables = tables
  }

  /// Tests every rate of every row, then applies Benjamini-Hochberg per rate across the
  /// rows that were tested.
  static func test(_ rows: inout [ComparisonRow]) {
    for index in rows.indices {
      rows[index].tests = ComparedRate.allCases.map { test($0, rows[index]) }
    }
    for (position, _) in ComparedRate.allCases.enumerated() {
      let tested = rows.indices.filter { rows[$0].tests[position].pValue != nil }
      let rejected = Statistics.benjaminiHochberg(
        tested.map { rows[$0].tests[position].pValue! }, q: falseDiscoveryRate)
      for (row, significant) in zip(tested, rejected) {
        rows[row].tests[position].verdict = significant ? .yes : .no
      }
    }
  }

  static func test(_ rate: ComparedRate, _ row: ComparisonRow) -> RateTest {
    guard let countsA = row.a else { return RateTest(verdict: .onlyB) }
    guard let countsB = row.b else { return RateTest(verdict: .onlyA) }
    let first = rate.trial(countsA)
    let second = rate.trial(countsB)
    guard let n1 = first.trials, let n2 = second.trials else {
      return RateTest(verdict: .notApplicable)
    }
    // A period without trials is too small to test, whatever its successes. More
    // successes than trials make no proportion.
    guard n1 > 0, n2 > 0 else { return RateTest(verdict: .tooSmall) }
    guard first.successes <= n1, second.successes <= n2 else {
      return RateTest(verdict: .notApplicable)
    }
    let (x1, x2) = (first.successes, second.successes)
    let interval = Statistics.newcombe(x1: x1, n1: n1, x2: x2, n2: n2)
    guard !Statistics.tooSmall(x1: x1, n1: n1, x2: x2, n2: n2),
      let pValue = Statistics.twoProportionPValue(x1: x1, n1: n1, x2: x2, n2: n2)
    else { return RateTest(interval: interval, verdict: .tooSmall) }
    return RateTest(pValue: pValue, interval: interval, verdict: .no)
  }
}
