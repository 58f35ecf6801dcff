import ClicktrailSupport

/// The check that a file's events belong where its name routes them: the writer puts every
/// event in the file named for its stream and the UTC hour of its timestamp.
extension LogFileSummary {
  /// Events whose timestamp lies outside the hour of the file name, found while reading.
  struct Misrouted: Sendable {
    /// The number of such events.
    var count = 0
    /// The line of the first one, counted in the file.
    var firstLine: Int?
  }

  /// Reports a stream that differs from the one `name` gives, and the events in `misrouted`,
  /// once each per file.
  mutating func checkRouting(name: LogFileName?, misrouted: Misrouted) {
    guard let name else { return }
    if let stream, stream != name.stream {
      record(
        LogProblem(
          kind: .streamMismatch,
          message: "the file name is for the '\(name.stream.rawValue)' stream but the file "
            + "contains '\(stream.rawValue)' events"))
    }
    if misrouted.count > 0 {
      let hour = String(name.hour).leftPadded(to: 2)
      record(
        LogProblem(
          kind: .misroutedEvents, line: misrouted.firstLine,
          message: "\(misrouted.count) events have a ts outside the hour of the file name "
            + "(\(name.date)T\(hour) UTC), the first on this line; they are still counted"))
    }
  }

  /// Lists `problem` while the list has room and counts it otherwise.
  mutating func record(_ problem: LogProblem) {
    if problems.count < Self.maxListedProblems {
      problems.append(problem)
    } else {
      omittedProblems += 1
    }
  }
}

extension LogFileName {
  /// The Unix milliseconds of the UTC hour the name gives, or nil when the date is not
  /// `YYYY-MM-DD`.
  var hourMilliseconds: Range<Int64>? {
    let parts = date.split(separator: "-").compactMap { Int64($0) }
    guard parts.count == 3 else { return nil }
    let days = Self.daysSinceEpoch(year: parts[0], month: parts[1], day: parts[2])
    let start = (days * 24 + Int64(hour)) * LogFileLayout.hourMilliseconds
    return start..<(start + LogFileLayout.hourMilliseconds)
  }

  /// Returns the days from 1970-01-01 to the given date of the proleptic Gregorian calendar.
  /// Years are counted from March, so that the leap day ends a year, and grouped into
  /// 400-year eras of 146,097 days.
  static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
    let marchYear = month <= 2 ? year - 1 : year
    let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
    let yearOfEra = marchYear - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    // 719,468 days lie between 0000-03-01 and 1970-01-01.
    return era * 146_097 + dayOfEra - 719_468
  }
}

extension LogRecord {
  /// The event's time, Unix milliseconds UTC.
  var timestamp: Int64 {
    switch self {
    case .click(let event): event.timestamp
    case .postback(let event): event.timestamp
    }
  }
}
