/// The bookkeeping of an open-loop load: when each request is due, which connection sends
/// it, and each request's latency measured from its scheduled send time.
///
/// Request `i` is due at `start + i / rate`, whether or not earlier requests are complete.
/// A due request waits in a queue until a connection is idle, and its latency runs from the
/// moment it was due, not from the moment it was sent. A stall of the server therefore shows
/// in the latency of every request scheduled during it, instead of delaying the schedule
/// and hiding behind it (coordinated omission).
///
/// Times are nanoseconds on one monotonic clock, passed in by the caller, so the
/// bookkeeping itself never reads a clock.
public struct OpenLoopDispatcher: Sendable {
  /// The number of requests sent each second.
  public let rate: Int
  /// The number of requests in the whole run.
  public let requestCount: Int
  /// The time at which request 0 is due.
  public let start: UInt64

  /// The next request that is not due yet.
  public private(set) var nextRequest = 0
  /// The due times of requests that are due and wait for an idle connection, in order.
  private var waiting: [UInt64] = []
  private var waitingHead = 0
  /// The connections without a request in flight, used last in, first out.
  private var idleConnections: [Int]
  /// The due time of the request in flight on each connection, or nil.
  private var inFlight: [UInt64?]

  /// The latency of each completed request in nanoseconds, in the order of completion.
  public private(set) var latencies: [UInt64] = []
  /// How late each request was sent after it was due, in nanoseconds: the time it waited
  /// for an idle connection plus the time the caller took to notice that it was due.
  public private(set) var sendDelays: [UInt64] = []
  /// The requests that failed: the connection closed or sent something that is not a
  /// response.
  public private(set) var failures = 0
  /// The time of the latest response or failure.
  public private(set) var lastCompletion: UInt64

  /// Creates the schedule of `requestCount` requests at `rate` per second from `start`, to
  /// be sent over `connections` connections.
  public init(rate: Int, requestCount: Int, connections: Int, start: UInt64) {
    precondition(rate > 0 && requestCount >= 0 && connections > 0)
    self.rate = rate
    self.requestCount = requestCount
    self.start = start
    self.lastCompletion = start
    idleConnections = Array((0..<connections).reversed())
    inFlight = Array(repeating: nil, count: connections)
    latencies.reserveCapacity(requestCount)
    sendDelays.reserveCapacity(requestCount)
  }

  /// Returns the time at which request `index` is due.
  public func dueTime(of index: Int) -> UInt64 {
    start + UInt64(index) * 1_000_000_000 / UInt64(rate)
  }

  /// The time at which the next request becomes due, or nil when every request is due.
  public var nextDueTime: UInt64? {
    nextRequest < requestCount ? dueTime(of: nextRequest) : nil
  }

  /// The number of due requests that wait for an idle connection.
  public var waitingCount: Int { waiting.count - waitingHead }

  /// The number of requests sent and still without a response.
  public var inFlightCount: Int { inFlight.count - idleConnections.count }

  /// Whether every request is due, sent, and complete or failed.
  public var isFinished: Bool {
    nextRequest == requestCount && waitingCount == 0 && inFlightCount == 0
  }

  /// Queues the requests that are due at `now` and assigns waiting requests to idle
  /// connections.
  /// - Returns: The connections that must send a request now.
  public mutating func dispatch(now: UInt64) -> [Int] {
    while nextRequest < requestCount, dueTime(of: nextRequest) <= now {
      waiting.append(dueTime(of: nextRequest))
      nextRequest += 1
    }
    var sends: [Int] = []
    while waitingHead < waiting.count, let connection = idleConnections.popLast() {
      let due = waiting[waitingHead]
      waitingHead += 1
      inFlight[connection] = due
      sendDelays.append(now - due)
      sends.append(connection)
    }
    if waitingHead == waiting.count {
      waiting.removeAll(keepingCapacity: true)
      waitingHead = 0
    }
    return sends
  }

  /// Records the response to the request in flight on `connection`, received at `now`, and
  /// makes the connection idle.
  public mutating func complete(connection: Int, now: UInt64) {
    guard let due = inFlight[connection] else { return }
    latencies.append(now >= due ? now - due : 0)
    finish(connection: connection, now: now)
  }

  /// Records that the request in flight on `connection` failed at `now`, and makes the
  /// connection idle again (the caller reconnects it first).
  public mutating func fail(connection: Int, now: UInt64) {
    guard inFlight[connection] != nil else { return }
    failures += 1
    finish(connection: connection, now: now)
  }

  private mutating func finish(connection: Int, now: UInt64) {
    inFlight[connection] = nil
    idleConnections.append(connection)
    lastCompletion = max(lastCompletion, now)
  }
}
