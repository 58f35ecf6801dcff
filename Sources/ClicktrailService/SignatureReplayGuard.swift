import ClicktrailSupport

/// The signatures of the signed postbacks accepted while their signed time was in their
/// network's window, so that a repeat is recognized.
///
/// A signature is kept until its signed time has left the longest window the guard has been
/// given, after which the time check rejects the postback anyway. The key is the signature
/// alone, since different keys give different signatures, so renaming a network keeps its
/// signatures. Only a network's own key makes a valid signature, so the memory is bounded by
/// the networks' postback rate times the window (an estimated 230 bytes per postback). The
/// signatures live in memory only: a service restarted within the window has forgotten
/// them, and instances behind one address do not share them.
public final class SignatureReplayGuard: Sendable {
  private struct State {
    /// The signed time, in Unix seconds, of each signature.
    var signedAt: [String: Int64] = [:]
    var longestWindow: Int64 = 0
    var nextSweep: Int64 = .min
  }

  private let state = LockedValue(State())
  /// How often signatures whose time has left every window are dropped, in milliseconds.
  private let sweepInterval: Int64 = 60_000

  public init() {}

  /// The number of signatures remembered.
  public var count: Int { state.withLock { $0.signedAt.count } }

  /// Returns false when `signature` is already remembered. Otherwise remembers it, signed at
  /// `signedAt` (Unix seconds) for a network whose window is `window` seconds, and returns
  /// true.
  /// Call only for a postback whose signed time is in the window at `now` (Unix
  /// milliseconds): then a remembered signature is always a repeat, because the time is
  /// part of what is signed.
  public func firstUse(signature: String, signedAt: Int64, window: Int64, now: Int64) -> Bool {
    let key = signature.lowercased()
    let interval = sweepInterval
    return state.withLock { state in
      state.longestWindow = max(state.longestWindow, window)
      if now >= state.nextSweep {
        // A time passes the check until the end of second `signedAt + window`.
        let longest = state.longestWindow
        state.signedAt = state.signedAt.filter { now < ($0.value + longest + 1) * 1000 }
        state.nextSweep = now + interval
      }
      guard state.signedAt[key] == nil else { return false }
      state.signedAt[key] = signedAt
      return true
    }
  }
}
