import ClicktrailSupport
import Dispatch
import Synchronization

/// Reads log files in parallel and in bounded memory, reporting damage instead of failing.
///
/// Gzip files whose members carry `CT` lengths are indexed without inflating, then read in
/// runs of members of about `LogReadOptions.chunkBytes` compressed bytes; other gzip files and
/// plain text files are streamed by one worker each. Every run gets its own sink; the sinks
/// are merged in file order, and summaries are built from per-run counts with prefix sums, so
/// nothing depends on thread timing. See `docs/log-reader.md` for every damage rule.
public enum LogReader {
  /// Reads all files, spreading files and the runs of members of large files over
  /// `options.workers` threads.
  /// - Returns: The merged sink and one summary per path, in the order of `paths`.
  /// - Complexity: O(n) in the total bytes; memory is O(workers × (chunk + longest member
  ///   inflated)) plus the problems and the member index.
  public static func read<Sink: LogRecordSink>(
    paths: [String], options: LogReadOptions = .init(), into: Sink.Type
  ) -> LogReadResult<Sink> {
    let plans = LockedValue([FilePlan?](repeating: nil, count: paths.count))
    parallelFor(paths.count, workers: options.workers) { index in
      let plan = FilePlan(path: paths[index], file: index, options: options)
      plans.withLock { $0[index] = plan }
    }
    let filePlans = plans.withLock { $0.map { $0! } }
    let tasks = filePlans.flatMap(\.tasks)
    let merger = OrderedMerger<Sink>(count: tasks.count)
    let fileBytes = filePlans.map(\.summary.bytes)
    let totalBytes = fileBytes.reduce(0, +)
    let done = LockedValue(
      LogReadProgress(files: paths.count, totalBytes: totalBytes, bytesRead: 0, events: 0))
    parallelFor(tasks.count, workers: options.workers) { index in
      let task = tasks[index]
      let outcome = task.run(options: options, into: Sink.self)
      if let progress = options.progress {
        let events = outcome.events
        let snapshot = done.withLock { state in
          state.bytesRead += task.compressedBytes(fileBytes: fileBytes[task.file])
          state.events += events
          return state
        }
        progress(snapshot)
      }
      merger.deliver(index, outcome)
    }
    let (sink, outcomes) = merger.finish()
    var summaries = filePlans.map(\.summary)
    var misrouted = [LogFileSummary.Misrouted](repeating: .init(), count: paths.count)
    for (task, outcome) in zip(tasks, outcomes) {
      misrouted[task.file].count += outcome.misrouted.count
      if misrouted[task.file].firstLine == nil, let line = outcome.misrouted.firstLine {
        misrouted[task.file].firstLine = summaries[task.file].lines + line
      }
      summaries[task.file].add(outcome)
    }
    for (index, plan) in filePlans.enumerated() {
      summaries[index].checkRouting(name: plan.fileName, misrouted: misrouted[index])
    }
    return LogReadResult(sink: sink, files: summaries)
  }

  /// Runs `body` for every index below `count` on up to `workers` threads, handing out
  /// indices in increasing order.
  static func parallelFor(_ count: Int, workers: Int, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(max(1, workers), count)) { _ in
      while true {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < count else { return }
        body(index)
      }
    }
  }
}

extension LogFileSummary {
  /// Adds what a task of this file found, renumbering its lines after the lines so far.
  mutating func add<Sink>(_ outcome: ReadTaskOutcome<Sink>) {
    let base = lines
    let room = max(0, Self.maxListedProblems - problems.count)
    problems += outcome.problems.prefix(room).map { problem in
      var problem = problem
      problem.line = problem.line.map { $0 + base }
      return problem
    }
    omittedProblems += max(0, outcome.problems.count - room) + outcome.omittedProblems
    lines += outcome.lines
    events += outcome.events
    members += outcome.members
    if stream == nil { stream = outcome.stream }
    if let stream {
      for name in stream.typeNames where eventsByType[name] == nil { eventsByType[name] = 0 }
    }
    eventsByType.merge(outcome.eventsByType, uniquingKeysWith: +)
  }
}

/// Merges the sinks of tasks in task order as they finish, keeping at most the sinks of
/// tasks that finished ahead of a slower one.
final class OrderedMerger<Sink: LogRecordSink>: Sendable {
  private struct State {
    var next = 0
    var merged = Sink()
    var waiting: [Int: Sink] = [:]
    var outcomes: [ReadTaskOutcome<Sink>?]
  }

  private let state: LockedValue<State>

  init(count: Int) {
    state = LockedValue(State(outcomes: Array(repeating: nil, count: count)))
  }

  /// Takes the outcome of task `index`, merging every sink that is now next in order.
  func deliver(_ index: Int, _ outcome: sending ReadTaskOutcome<Sink>) {
    state.withLock { state in
      var counts = outcome
      state.waiting[index] = counts.sink
      counts.sink = Sink()
      state.outcomes[index] = counts
      while let sink = state.waiting.removeValue(forKey: state.next) {
        state.merged.merge(sink)
        state.next += 1
      }
    }
  }

  /// Returns the merged sink and the outcomes (without their sinks) in task order.
  func finish() -> (Sink, [ReadTaskOutcome<Sink>]) {
    state.withLock { ($0.merged, $0.outcomes.map { $0! }) }
  }
}
