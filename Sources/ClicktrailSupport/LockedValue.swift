import Synchronization

/// A value guarded by a mutex, shareable across threads.
///
/// `Mutex` itself is non-copyable; this class gives it reference semantics so that
/// several owners (a writer and its flusher thread, for example) can hold the same lock.
public final class LockedValue<Value: Sendable>: Sendable {
  // Inlinable, so that callers in other modules get a specialized lock instead of looking
  // up the generic `Mutex<Value>` metadata at run time on every call.
  @usableFromInline let mutex: Mutex<Value>

  /// Creates a lock around `value`.
  public init(_ value: sending Value) {
    mutex = Mutex(value)
  }

  /// Runs `body` with exclusive access to the value and returns its result.
  @inlinable
  public func withLock<Result: Sendable>(
    _ body: (inout sending Value) throws -> sending Result
  ) rethrows -> sending Result {
    try mutex.withLock(body)
  }
}
