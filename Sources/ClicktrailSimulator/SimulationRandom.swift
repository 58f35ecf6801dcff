import Foundation

/// The simulator's own seeded generator (SplitMix64), apart from the service's, so that the
/// scenario draws the same numbers for a seed whatever the service draws.
struct SimulationRandom {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  /// Returns the next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }

  /// Returns a uniform value in `0..<1` with 53 bits of precision.
  mutating func unit() -> Double {
    Double(next() >> 11) / Double(1 << 53)
  }

  /// Returns true with probability `probability`.
  mutating func chance(_ probability: Double) -> Bool {
    unit() < probability
  }

  /// Returns a uniform integer in `range`.
  mutating func integer(in range: ClosedRange<Int>) -> Int {
    let width = UInt64(range.upperBound - range.lowerBound) + 1
    return range.lowerBound + Int(next() % width)
  }

  /// Returns an exponentially distributed value with the given mean.
  mutating func exponential(mean: Double) -> Double {
    -mean * log(1 - unit())
  }

  /// Returns a value whose logarithm is uniform between the logarithms of the bounds, so that
  /// each order of magnitude in the range is equally likely.
  mutating func logUniform(from lower: Double, to upper: Double) -> Double {
    exp(log(lower) + unit() * (log(upper) - log(lower)))
  }

  /// Returns an element of `elements` chosen in proportion to its weight.
  mutating func weighted<Element>(_ elements: [(Element, Double)]) -> Element {
    let total = elements.reduce(0) { $0 + $1.1 }
    var ticket = unit() * total
    for (element, weight) in elements {
      if ticket < weight { return element }
      ticket -= weight
    }
    return elements[elements.count - 1].0
  }

  /// Returns `count` lowercase hexadecimal digits.
  mutating func hex(count: Int) -> String {
    let digits = Array("0123456789abcdef")
    return String((0..<count).map { _ in digits[Int(next() & 0xF)] })
  }

  /// Returns `count` characters of `A-Z a-z 0-9`.
  mutating func alphanumeric(count: Int) -> String {
    let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    return String((0..<count).map { _ in characters[Int(next() % UInt64(characters.count))] })
  }
}
