import ClicktrailCatalogue
import Testing

/// SplitMix64, a small seeded generator, so that draws repeat from run to run.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

@Suite struct WeightedChoiceTests {
  @Test func ticketsFollowWeights() throws {
    let choice = try #require(WeightedChoice([("a", 3), ("b", 1), ("c", 2)]))
    #expect(choice.totalWeight == 6)
    #expect((0..<6).map(choice.element(forTicket:)) == ["a", "a", "a", "b", "c", "c"])
  }

  @Test func drawsMatchWeights() throws {
    let choice = try #require(WeightedChoice([("quiz", 3), ("story", 1)]))
    var generator = SeededGenerator(state: 42)
    var counts: [String: Int] = [:]
    let draws = 40_000
    for _ in 0..<draws {
      counts[choice.choose(using: &generator), default: 0] += 1
    }
    let quizShare = Double(counts["quiz", default: 0]) / Double(draws)
    // 0.75 expected; the standard deviation over 40,000 draws is about 0.002.
    #expect(abs(quizShare - 0.75) < 0.01)
    #expect(counts.keys.sorted() == ["quiz", "story"])
  }

  @Test func sameSeedSameDraws() throws {
    let choice = try #require(WeightedChoice([("a", 1), ("b", 1)]))
    var first = SeededGenerator(state: 7)
    var second = SeededGenerator(state: 7)
    let one = (0..<20).map { _ in choice.choose(using: &first) }
    let two = (0..<20).map { _ in choice.choose(using: &second) }
    #expect(one == two)
  }

  @Test func invalidWeightsAreRejected() {
    #expect(WeightedChoice<String>([]) == nil)
    #expect(WeightedChoice([("a", 0)]) == nil)
    #expect(WeightedChoice([("a", -1)]) == nil)
    #expect(WeightedChoice([("a", Int.max), ("b", 1)]) == nil)
  }

  @Test func destinationChoices() throws {
    let catalogue = try Catalogue.load(contentsOf: CatalogueFixtures.exampleURL)
    let direct = try #require(catalogue.campaign(key: "direct"))
    #expect(direct.destination.landerChoice == nil)
    #expect(direct.destination.offerChoice.totalWeight == 3)
    #expect(direct.destination.offerChoice.element(forTicket: 2) == "vpn-annual")
  }
}
