/// A choice among elements in proportion to their positive integer weights.
public struct WeightedChoice<Element> {
  /// The elements with their weights, in the order given.
  public let entries: [(element: Element, weight: Int)]
  /// The sum of the weights.
  public let totalWeight: Int
  private let cumulativeWeights: [Int]

  /// Creates a choice, or returns nil when `entries` is empty, a weight is not positive or
  /// the weights add up past `Int.max`.
  public init?(_ entries: [(Element, Int)]) {
    guard !entries.isEmpty else { return nil }
    var sums: [Int] = []
    var total = 0
    for (_, weight) in entries {
      guard weight > 0 else { return nil }
      let (sum, overflow) = total.addingReportingOverflow(weight)
      guard !overflow else { return nil }
      total = sum
      sums.append(total)
    }
    self.entries = entries.map { (element: $0.0, weight: $0.1) }
    totalWeight = total
    cumulativeWeights = sums
  }

  /// Returns the element that `ticket` falls on, where tickets `0..<totalWeight` are dealt to
  /// the elements in order, `weight` tickets each.
  /// - Precondition: `0 <= ticket < totalWeight`.
  public func element(forTicket ticket: Int) -> Element {
    precondition(ticket >= 0 && ticket < totalWeight, "ticket \(ticket) out of range")
    var low = 0
    var high = cumulativeWeights.count - 1
    while low < high {
      let middle = (low + high) / 2
      if cumulativeWeights[middle] > ticket {
        high = middle
      } else {
        low = middle + 1
      }
    }
    return entries[low].element
  }

  /// Picks an element at random with the probabilities the weights give.
  public func choose(using generator: inout some RandomNumberGenerator) -> Element {
    element(forTicket: Int.random(in: 0..<totalWeight, using: &generator))
  }
}

extension WeightedChoice: Sendable where Element: Sendable {}
