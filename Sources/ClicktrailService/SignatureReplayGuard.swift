import ClicktrailSupport

/// The signatures of the signed postbacks accepted within their network's time window, so
/// that a repeat of one within the window is recognized.
///
/// A signature is kept until its signed time leaves the window; after that the time check
/// rejects the postback anyway. Only a network's own key makes a valid signature, so the
/// memory is bounded by the network's postback rate times the window (an estimated 200
/// bytes per postback). The signatures live in memory only: a service restarted within the window has
/// forgotten them, and instances behind one address do not share them.
public final class SignatureReplayGuard: Sendable {
  private struct State {
    /// The time each signature may be forgotten, by network key and signature.
    var expiries: [String: Int64] = [:]
    var nextSweep: Int64 = .min
  }

  private let state = LockedValue(State())
  /// How often expired signatures are dropped, in milliseconds.
  private let sweepInterval: Int64 = 60_000

  public init() {}

  /// The number of signatures remembered.
  public var count: Int { state.withLock { $0.expiries.count } }

  /// Remembers `signature` of `network` until `expiry` (Unix milliseconds) and returns true,
  /// or returns false when it is already remembered.
  public func firstUse(
    network: String, signature: String, expiry: Int64, now: Int64
  ) -> Bool {
    let key = network + " " + signature.lowercased()
    let interval = sweepInterval
    return state.withLock { state in
      if now >= state.nextSweep {
        state.expiries = state.expiries.filter { $0.value > now }
        state.nextSweep = now + interval
      }
      if let kept = state.expiries[key], kept > now { return false }
      state.expiries[key] = expiry
      return true
    }
  }
}
