import Glibc

/// The treatment of a read task's first line.
enum HeaderMode: Sendable, Equatable {
  /// Parse it as the header and use it as the schema.
  case parse
  /// Count it as the header, which was parsed before the task.
  case skip
  /// Decode it as data: the task does not start the file, or the header was lost.
  case none
}

/// Splits inflated bytes into lines, decodes them and feeds the records to a sink: the line
/// state of one read task. Line numbers in its problems count from 1 within the task.
///
/// Memory is bounded by `maxLineBytes`: a partial line is carried between buffers only up to
/// that length, after which the rest of the line is skipped up to its line feed.
struct LineAssembler<Sink: LogRecordSink> {
  // MARK: - State

  private(set) var schema: LogSchema?
  private let headerMode: HeaderMode
  private let maxLineBytes: Int
  private var carry: [UInt8] = []
  private var skipping = false
  /// The number of lines seen, rejected, skipped and incomplete ones included.
  private(set) var lines = 0
  /// The number of records decoded.
  private(set) var events = 0
  /// The records by type, in the order of `LogStream.typeNames` of the schema's stream.
  private var typeCounts = [0, 0, 0]
  /// The field ranges of the current line, reused from line to line.
  private var fields: [Range<Int>] = []
  /// The first problems met, at most `LogFileSummary.maxListedProblems`, with task-local
  /// line numbers.
  private(set) var problems: [LogProblem] = []
  /// The number of problems met beyond those kept in `problems`.
  private(set) var omittedProblems = 0
  /// The sink fed with every record.
  var sink = Sink()
  /// The Unix milliseconds of the hour the file name gives, when it gives one.
  private let hour: Range<Int64>?
  /// The records whose timestamp lies outside `hour`, with task-local line numbers.
  private(set) var misrouted = LogFileSummary.Misrouted()

  init(schema: LogSchema?, headerMode: HeaderMode, maxLineBytes: Int, hour: Range<Int64>? = nil) {
    self.schema = schema
    self.headerMode = headerMode
    self.maxLineBytes = maxLineBytes
    self.hour = hour
  }

  /// The records by type name.
  var eventsByType: [String: Int] {
    guard let schema else { return [:] }
    var counts: [String: Int] = [:]
    for (name, count) in zip(schema.stream.typeNames, typeCounts) where count > 0 {
      counts[name] = count
    }
    return counts
  }

  /// Whether a partial line is waiting for its line feed.
  var hasPartialLine: Bool { !carry.isEmpty }

  // MARK: - Feeding

  /// Splits `bytes` into lines, carrying a partial last line to the next call.
  /// - Complexity: O(n) in `bytes.count`.
  mutating func feed(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    var start = 0
    while start < bytes.count {
      guard let found = memchr(base + start, 0x0A, bytes.count - start) else {
        appendPartial(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        return
      }
      let end = UnsafeRawPointer(found) - base
      if skipping {
        skipping = false
      } else if carry.isEmpty {
        handleLine(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
      } else {
        carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        let line = carry
        carry.removeAll(keepingCapacity: true)
        line.withUnsafeBytes { handleLine($0) }
      }
      start = end + 1
    }
  }

  /// Ends a member or file whose data is sound: a partial line left is reported as
  /// incomplete and not decoded.
  mutating func endOfData() {
    skipping = false
    guard !carry.isEmpty else { return }
    lines += 1
    report(
      LogProblem(
        kind: .incompleteLine, line: lines,
        message: "last line has no line feed (\(carry.count) bytes); not decoded"))
    carry.removeAll(keepingCapacity: true)
  }

  /// Drops a partial line cut off by damage and returns its length in bytes.
  mutating func dropPartialLine() -> Int {
    skipping = false
    let count = carry.count
    carry.removeAll(keepingCapacity: true)
    return count
  }

  /// Keeps `problem` in `problems` while fewer than `LogFileSummary.maxListedProblems` are
  /// kept, and counts it otherwise, so that memory does not grow with the damage.
  mutating func report(_ problem: LogProblem) {
    if problems.count < LogFileSummary.maxListedProblems {
      problems.append(problem)
    } else {
      omittedProblems += 1
    }
  }

  // MARK: - Lines

  private mutating func appendPartial(_ bytes: UnsafeRawBufferPointer) {
    guard !skipping else { return }
    carry.append(contentsOf: bytes)
    // One byte more than the limit may still be a CR before the line feed.
    if carry.count > maxLineBytes + 1 {
      carry.removeAll(keepingCapacity: true)
      skipping = true
      lines += 1
      reportOverlong()
    }
  }

  private mutating func handleLine(_ raw: UnsafeRawBufferPointer) {
    var line = raw
    if let last = line.last, last == 0x0D {
      line = UnsafeRawBufferPointer(rebasing: line.dropLast())
    }
    lines += 1
    guard line.count <= maxLineBytes else {
      reportOverlong()
      return
    }
    let bytes = line.bindMemory(to: UInt8.self)
    if lines == 1 && headerMode == .skip { return }
    if lines == 1 && headerMode == .parse {
      do throws(LineRejection) {
        schema = try LogSchema(headerLine: bytes)
      } catch {
        reportMissingHeader(error.reason)
      }
      return
    }
    guard let schema else { return }
    do throws(LineRejection) {
      let checked = try schema.check(line: bytes, fields: &fields)
      events += 1
      typeCounts[checked.typeIndex] += 1
      if let hour, !hour.contains(checked.timestamp) {
        misrouted.count += 1
        if misrouted.firstLine == nil { misrouted.firstLine = lines }
      }
      sink.consume(line: LogLine(bytes: bytes, fields: fields, checked: checked))
      if checked.hasInvalidUTF8 {
        report(
          LogProblem(
            kind: .invalidUTF8, line: lines,
            message: "invalid UTF-8 in the line was replaced with U+FFFD"))
      }
    } catch {
      report(LogProblem(kind: .rejectedLine, line: lines, message: error.reason))
    }
  }

  private mutating func reportOverlong() {
    if lines == 1 && headerMode == .parse {
      reportMissingHeader("it is longer than \(maxLineBytes) bytes")
      return
    }
    // The probe that parsed a skipped header has already reported it.
    if lines == 1 && headerMode == .skip { return }
    report(
      LogProblem(
        kind: .overlongLine, line: lines,
        message: "line is longer than \(maxLineBytes) bytes; skipped"))
  }

  private mutating func reportMissingHeader(_ reason: String) {
    report(Self.missingHeader(reason))
  }

  /// Returns the problem for a first line that is not a header.
  static func missingHeader(_ reason: String) -> LogProblem {
    LogProblem(
      kind: .missingHeader, line: 1,
      message: "first line is not a log header: \(reason); the other lines are not decoded")
  }
}
