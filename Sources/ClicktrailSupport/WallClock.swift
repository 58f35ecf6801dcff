import Foundation

/// A source of wall-clock time, injected so that tests and the simulator run reproducibly.
public protocol WallClock: Sendable {
  /// Returns the current time in milliseconds since the Unix epoch, UTC.
  func nowMilliseconds() -> Int64
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
  public init() {}

  public func nowMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
  }
}

/// A clock that stays where a test sets it.
public final class ManualWallClock: WallClock {
  private let current: LockedValue<Int64>

  /// Creates a clock that reads `milliseconds` until it is set or advanced.
  public init(milliseconds: Int64) {
    current = LockedValue(milliseconds)
  }

  public func nowMilliseconds() -> Int64 {
    current.withLock { $0 }
  }

  /// Sets the time in milliseconds since the Unix epoch.
  public func set(milliseconds: Int64) {
    current.withLock { $0 = milliseconds }
  }

  /// Moves the time forward by `milliseconds`.
  public func advance(milliseconds: Int64) {
    current.withLock { $0 += milliseconds }
  }
}
