import Foundation

/// A thread-safe source of random 64-bit values, injected so that the service and the
/// simulator can run reproducibly in tests.
public protocol RandomSource: Sendable {
  /// Returns the next random value.
  func next() -> UInt64
}

/// The C library's cryptographically secure generator (glibc's `arc4random_buf`, which reads
/// the kernel's `getrandom(2)`), taken 4 KiB at a time so that a request does not pay a system
/// call for every 64 bits, as the standard library's generator does.
public final class SystemRandomSource: RandomSource {
  private struct Buffer {
    var values = [UInt64](repeating: 0, count: 512)
    var position = 512
  }

  private let buffer = LockedValue(Buffer())

  public init() {}

  public func next() -> UInt64 {
    buffer.withLock { buffer in
      if buffer.position == buffer.values.count {
        buffer.values.withUnsafeMutableBytes { bytes in
          arc4random_buf(bytes.baseAddress!, bytes.count)
        }
        buffer.position = 0
      }
      defer { buffer.position += 1 }
      return buffer.values[buffer.position]
    }
  }
}

/// A seeded SplitMix64 generator behind a lock: the same seed gives the same sequence.
/// Not for secrets.
public final class SeededRandomSource: RandomSource {
  private let state: LockedValue<UInt64>

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    state = LockedValue(seed)
  }

  public func next() -> UInt64 {
    state.withLock { state in
      state &+= 0x9E37_79B9_7F4A_7C15
      var mixed = state
      mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
      mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
      return mixed ^ (mixed >> 31)
    }
  }
}

/// Adapts a `RandomSource` to the standard library's generator protocol.
public struct RandomSourceGenerator: RandomNumberGenerator {
  let source: RandomSource

  public init(_ source: RandomSource) {
    self.source = source
  }

  public mutating func next() -> UInt64 { source.next() }
}
