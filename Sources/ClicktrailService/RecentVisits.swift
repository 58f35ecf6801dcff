import ClicktrailSupport

/// The campaign, lander and parameters of recent visits by click ID, so that `/click` can
/// find the campaign of a click ID without a database.
///
/// The entries are spread over 64 shards by a hash of the click ID, each with its own lock, so
/// that request threads rarely wait for each other. Each shard keeps two generations: new
/// entries go to the current map, and when it is full it becomes the previous map and the
/// older one is dropped. A lookup finds any of roughly the last `capacity / 2` to `capacity`
/// visits. Each map is allocated at its full size up front and a dropped map is released
/// after its lock is let go, so no request waits behind a rehash or a large release.
final class RecentVisits: Sendable {
  struct Visit: Sendable, Equatable {
    let campaign: String
    let lander: String
    let parameters: [String: String]
  }

  private struct Generations {
    var current: [String: Visit]
    var previous: [String: Visit] = [:]
  }

  private static let shardCount = 64
  private let shards: [LockedValue<Generations>]
  private let shardCapacity: Int

  /// Creates a cache for about `capacity` visits.
  init(capacity: Int) {
    shardCapacity = max(1, capacity / Self.shardCount / 2)
    shards = (0..<Self.shardCount).map { _ in
      LockedValue(Generations(current: Dictionary(minimumCapacity: max(1, capacity / 128))))
    }
  }

  func insert(_ visit: Visit, for clickID: String) {
    let capacity = shardCapacity
    let dropped = shard(for: clickID).withLock { generations -> [String: Visit]? in
      var dropped: [String: Visit]?
      if generations.current.count >= capacity {
        dropped = generations.previous
        generations.previous = generations.current
        generations.current = Dictionary(minimumCapacity: capacity)
      }
      generations.current[clickID] = visit
      return dropped
    }
    // The old generation is freed here, outside the lock.
    _ = dropped
  }

  func visit(for clickID: String) -> Visit? {
    shard(for: clickID).withLock { $0.current[clickID] ?? $0.previous[clickID] }
  }

  private func shard(for clickID: String) -> LockedValue<Generations> {
    // The last characters of a click ID are random, so they spread the shards evenly.
    let last = clickID.utf8.last ?? 0
    return shards[Int(last) % Self.shardCount]
  }
}
