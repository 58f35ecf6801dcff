import ClicktrailSupport
import Foundation
import Synchronization

/// Keep-alive clients on dedicated threads. Each sends GET requests until it has sent its
/// share, `stop()` is called, or a request fails or gets an unexpected status.
///
/// The threads are dedicated because under a busy test run the global Dispatch queues can
/// start a work item seconds late, while a test that steps a clock needs requests during each
/// step. Tests wait for a count of responses, never for a time. A worker that ends early
/// records the reason in `failures`, so no wait outlives a failed load.
final class LoopbackLoad: @unchecked Sendable {
  /// The reason each worker ended early, with the worker's number.
  var failures: [String] { state.withLock { $0.failures } }
  /// The target of every request that got the expected status, in no order.
  var completed: [String] { state.withLock { $0.completed } }
  var completedCount: Int { state.withLock { $0.completed.count } }

  private struct State {
    var completed: [String] = []
    var failures: [String] = []
    var running = 0
  }

  private let state = LockedValue(State())
  private let stopping = Atomic<Bool>(false)

  /// Starts `workers` threads, each sending `requests` requests to `target(worker, index)`
  /// and expecting `status` in every response.
  init(
    port: UInt16, workers: Int, requests: Int, status: Int = 302,
    target: @escaping @Sendable (Int, Int) -> String
  ) {
    state.withLock { $0.running = workers }
    for worker in 0..<workers {
      let thread = Thread { [self] in
        run(worker: worker, port: port, requests: requests, status: status, target: target)
      }
      thread.start()
    }
  }

  /// Waits until at least `count` requests got the expected status.
  /// - Throws: when every worker ended first (with their reasons), or when no response
  ///   arrives for `stallSeconds`.
  func waitForResponses(atLeast count: Int, stallSeconds: Double = 60) throws {
    var seen = -1
    var lastProgress = Date()
    while true {
      let (completed, running, failures) = state.withLock {
        ($0.completed.count, $0.running, $0.failures)
      }
      if completed >= count { return }
      if running == 0 {
        throw LoopbackHTTPClient.ClientError(
          description: "the load ended after \(completed) of \(count) responses: \(failures)")
      }
      if completed != seen {
        seen = completed
        lastProgress = Date()
      } else if Date().timeIntervalSince(lastProgress) > stallSeconds {
        throw LoopbackHTTPClient.ClientError(
          description: "no response in \(stallSeconds) s after \(completed) of \(count)")
      }
      usleep(1_000)
    }
  }

  /// Tells the workers to stop after their current request and waits until they have.
  func stop() {
    stopping.store(true, ordering: .releasing)
    while state.withLock({ $0.running }) > 0 { usleep(1_000) }
  }

  private func run(
    worker: Int, port: UInt16, requests: Int, status: Int,
    target: (Int, Int) -> String
  ) {
    defer { state.withLock { $0.running -= 1 } }
    let client: LoopbackHTTPClient
    do {
      client = try LoopbackHTTPClient(port: port)
    } catch {
      state.withLock { $0.failures.append("worker \(worker) could not connect: \(error)") }
      return
    }
    for index in 0..<requests where !stopping.load(ordering: .acquiring) {
      let path = target(worker, index)
      do {
        let response = try client.request("GET", path)
        guard response.status == status else {
          state.withLock {
            $0.failures.append("worker \(worker): \(path) completed \(response.status)")
          }
          return
        }
        state.withLock { $0.completed.append(path) }
      } catch {
        // After `stop()` a closed connection is expected, so it is not a failure.
        if !stopping.load(ordering: .acquiring) {
          state.withLock { $0.failures.append("worker \(worker): \(path) failed: \(error)") }
        }
        return
      }
    }
  }
}
