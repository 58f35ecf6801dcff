import ClicktrailSupport

/// The campaign, lander and parameters of recent visits by click ID, so that `/click` can
/// find the campaign of a click ID without a database.
///
/// Two generations bound the memory: new entries go to the current map, and when it holds
/// `capacity / 2` entries it becomes the previous map and the older one is dropped. A lookup
/// finds any of the last `capacity / 2` to `capacity` visits.
final class RecentVisits: Sendable {
  struct Visit: Sendable, Equatable {
    let campaign: String
    let lander: String
    let parameters: [String: String]
  }

  private struct Generations {
    var current: [String: Visit] = [:]
    var previous: [String: Visit] = [:]
  }

  private let generations = LockedValue(Generations())
  private let capacity: Int

  /// Creates a cache for about `capacity` visits (at least 2).
  init(capacity: Int) {
    self.capacity = max(2, capacity)
  }

  func insert(_ visit: Visit, for clickID: String) {
    generations.withLock { generations in
      if generations.current.count >= capacity / 2 {
        generations.previous = generations.current
        generations.current = [:]
      }
      generations.current[clickID] = visit
    }
  }

  func visit(for clickID: String) -> Visit? {
    generations.withLock { $0.current[clickID] ?? $0.previous[clickID] }
  }
}
