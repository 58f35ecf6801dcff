import Glibc

/// A value guarded by a mutex, shareable across threads.
///
/// The lock is a `pthread_mutex_t` rather than the standard library's `Mutex`, whose Linux
/// implementation lives in the uninstrumented Synchronization library and waits on futexes
/// directly, so that ThreadSanitizer cannot see it and reports every access under it as a
/// race. ThreadSanitizer intercepts `pthread_mutex_lock`, so `scripts/sanitize thread`
/// checks the code that uses this type. As with `Mutex`, the value goes in and out with
/// `sending`, so the type is `Sendable` for values that are not.
public final class LockedValue<Value>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  /// Creates a lock around `value`.
  public init(_ value: sending Value) {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "pthread_mutex_init failed with \(status)")
    self.value = value
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with exclusive access to the value and returns its result.
  public func withLock<Result>(
    _ body: (inout sending Value) throws -> sending Result
  ) rethrows -> sending Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
