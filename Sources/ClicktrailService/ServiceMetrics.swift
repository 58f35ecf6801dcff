import ClicktrailLog
import ClicktrailSupport

/// The service's request counters, rendered in the Prometheus text format for `/metrics`.
public final class ServiceMetrics: Sendable {
  /// The endpoints that requests are counted under.
  public enum Endpoint: String, Sendable, CaseIterable {
    case campaign
    case shortLink = "short_link"
    case click, postback, health, metrics, other
  }

  private struct Key: Hashable {
    let endpoint: Endpoint
    let status: Int
  }

  private struct State {
    var requests: [Key: Int] = [:]
    var events: [String: Int] = [:]
    var minuteRequests = 0
  }

  private let state = LockedValue(State())

  public init() {}

  /// Counts one answered request.
  public func record(endpoint: Endpoint, status: Int) {
    state.withLock { state in
      state.requests[Key(endpoint: endpoint, status: status), default: 0] += 1
      state.minuteRequests += 1
    }
  }

  /// Counts one event handed to the log writer, by type (`visit`, `postback_rejected`, ...).
  public func recordEvent(_ type: String) {
    state.withLock { $0.events[type, default: 0] += 1 }
  }

  /// Returns the requests answered since the last call, and resets that count.
  public func takeMinuteRequests() -> Int {
    state.withLock { state in
      let count = state.minuteRequests
      state.minuteRequests = 0
      return count
    }
  }

  /// Returns the total of requests answered so far.
  public var totalRequests: Int {
    state.withLock { $0.requests.values.reduce(0, +) }
  }

  /// Renders every counter, with the log writer's statistics, in the Prometheus text
  /// exposition format (version 0.0.4).
  public func render(writer: LogWriterStatistics) -> String {
    let snapshot = state.withLock { ($0.requests, $0.events) }
    var text = "# HELP clicktrail_requests_total HTTP requests answered, by endpoint and status.\n"
    text += "# TYPE clicktrail_requests_total counter\n"
    let keys = snapshot.0.keys.sorted {
      ($0.endpoint.rawValue, $0.status) < ($1.endpoint.rawValue, $1.status)
    }
    for key in keys {
      text += "clicktrail_requests_total{endpoint=\"\(key.endpoint.rawValue)\","
      text += "status=\"\(key.status)\"} \(snapshot.0[key]!)\n"
    }
    text += "# HELP clicktrail_events_total Events handed to the log writer, by type.\n"
    text += "# TYPE clicktrail_events_total counter\n"
    for type in snapshot.1.keys.sorted() {
      text += "clicktrail_events_total{type=\"\(type)\"} \(snapshot.1[type]!)\n"
    }
    let series: [(String, String, String, Int)] = [
      (
        "clicktrail_log_events_written_total", "counter", "Events written to log files.",
        writer.eventsWritten
      ),
      (
        "clicktrail_log_events_dropped_total", "counter",
        "Events dropped because the write queue was full, the writer was closed or a write failed.",
        writer.droppedEvents
      ),
      (
        "clicktrail_log_write_errors_total", "counter", "Failed file operations of the log writer.",
        writer.writeErrors
      ),
      (
        "clicktrail_log_members_written_total", "counter", "gzip members written.",
        writer.membersWritten
      ),
      (
        "clicktrail_log_bytes_written_total", "counter", "Compressed bytes written.",
        writer.bytesWritten
      ),
      ("clicktrail_log_files_opened_total", "counter", "Log files created.", writer.filesOpened),
      (
        "clicktrail_log_events_unsynced_total", "counter",
        "Events written in members whose fsync then failed, so that they may not be on disk.",
        writer.unsyncedEvents
      ),
      (
        "clicktrail_log_truncated_fields_total", "counter",
        "Field values cut to their column's limit.", writer.truncatedFields
      ),
    ]
    for (name, type, help, value) in series {
      text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
    }
    let seconds = Double(writer.flushMicrosecondsTotal) / 1e6
    text += "# HELP clicktrail_log_flush_seconds Time spent writing members, per flush.\n"
    text += "# TYPE clicktrail_log_flush_seconds summary\n"
    text += "clicktrail_log_flush_seconds_sum \(seconds)\n"
    text += "clicktrail_log_flush_seconds_count \(writer.flushCount)\n"
    text += "# HELP clicktrail_log_last_flush_seconds Duration of the latest flush.\n"
    text += "# TYPE clicktrail_log_last_flush_seconds gauge\n"
    text += "clicktrail_log_last_flush_seconds \(Double(writer.lastFlushMicroseconds) / 1e6)\n"
    return text
  }
}
