import Testing

@testable import ClicktrailLoad

@Suite struct OpenLoopDispatcherTests {
  static let millisecond: UInt64 = 1_000_000

  @Test func dueTimesFollowRate() {
    let dispatcher = OpenLoopDispatcher(rate: 3, requestCount: 4, connections: 1, start: 100)
    #expect(dispatcher.dueTime(of: 0) == 100)
    #expect(dispatcher.dueTime(of: 1) == 100 + 333_333_333)
    #expect(dispatcher.dueTime(of: 2) == 100 + 666_666_666)
    #expect(dispatcher.dueTime(of: 3) == 100 + 1_000_000_000)
  }

  @Test func stallCountsForEveryRequestScheduledDuringIt() {
    let ms = Self.millisecond
    var dispatcher = OpenLoopDispatcher(
      rate: 1000, requestCount: 11, connections: 1, start: 0)
    #expect(dispatcher.dispatch(now: 0) == [0])
    // The only connection stalls for 10 ms; requests 1 to 10 fall due meanwhile.
    #expect(dispatcher.dispatch(now: 10 * ms) == [])
    #expect(dispatcher.waitingCount == 10)
    dispatcher.complete(connection: 0, now: 10 * ms)
    // Each later request gets its response 0.1 ms after it is sent.
    var now = 10 * ms
    for _ in 1...10 {
      #expect(dispatcher.dispatch(now: now) == [0])
      now += ms / 10
      dispatcher.complete(connection: 0, now: now)
    }
    #expect(dispatcher.isFinished)
    #expect(dispatcher.latencies.count == 11)
    #expect(dispatcher.latencies[0] == 10 * ms)
    // Request 1 was due at 1 ms, sent at 10 ms and complete at 10.1 ms.
    #expect(dispatcher.latencies[1] == 9 * ms + ms / 10)
    #expect(dispatcher.sendDelays[1] == 9 * ms)
    // Request 10 was due at 10 ms and complete at 11 ms, after the nine before it.
    #expect(dispatcher.latencies[10] == ms)
    #expect(dispatcher.lastCompletion == 11 * ms)
  }

  @Test func idleConnectionsTakeDueRequests() {
    let ms = Self.millisecond
    var dispatcher = OpenLoopDispatcher(rate: 1000, requestCount: 3, connections: 2, start: 0)
    #expect(dispatcher.nextDueTime == 0)
    #expect(dispatcher.dispatch(now: 2 * ms).count == 2)
    #expect(dispatcher.waitingCount == 1)
    #expect(dispatcher.inFlightCount == 2)
    #expect(dispatcher.nextDueTime == nil)
    dispatcher.complete(connection: 1, now: 3 * ms)
    #expect(dispatcher.dispatch(now: 3 * ms) == [1])
    #expect(dispatcher.sendDelays == [2 * ms, ms, ms])
    #expect(!dispatcher.isFinished)
  }

  @Test func failureFreesConnection() {
    var dispatcher = OpenLoopDispatcher(rate: 10, requestCount: 2, connections: 1, start: 0)
    #expect(dispatcher.dispatch(now: 0) == [0])
    dispatcher.fail(connection: 0, now: 5)
    #expect(dispatcher.failures == 1)
    #expect(dispatcher.inFlightCount == 0)
    #expect(dispatcher.latencies.isEmpty)
    // A response on a connection without a request in flight is ignored.
    dispatcher.complete(connection: 0, now: 6)
    #expect(dispatcher.latencies.isEmpty)
  }

  @Test func emptyScheduleIsFinished() {
    let dispatcher = OpenLoopDispatcher(rate: 10, requestCount: 0, connections: 4, start: 0)
    #expect(dispatcher.isFinished)
    #expect(dispatcher.nextDueTime == nil)
  }
}

@Suite struct LatencySummaryTests {
  @Test func percentilesByNearestRank() {
    let summary = LatencySummary((1...1000).reversed().map { UInt64($0) })
    #expect(summary.count == 1000)
    #expect(summary.p50 == 500)
    #expect(summary.p90 == 900)
    #expect(summary.p99 == 990)
    #expect(summary.p999 == 999)
    #expect(summary.max == 1000)
  }

  @Test func singleOutlierReachesTopPercentiles() {
    let summary = LatencySummary(Array(repeating: 1, count: 99) + [500])
    #expect(summary.p50 == 1)
    #expect(summary.p99 == 1)
    #expect(summary.p999 == 500)
    #expect(summary.max == 500)
  }

  @Test func emptySummaryIsZero() {
    let summary = LatencySummary([])
    #expect(summary.count == 0)
    #expect(summary.p50 == 0)
    #expect(summary.p999 == 0)
    #expect(summary.max == 0)
  }
}
