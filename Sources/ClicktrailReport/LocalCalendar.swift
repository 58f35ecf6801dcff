import ClicktrailSupport
import Foundation

/// A calendar date without a time or zone, as reports bucket days.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses `YYYY-MM-DD`; returns nil for anything else or a day that does not exist.
  public init?(parsing text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(year: year, month: month)
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// Creates the date of day number `days` since 1970-01-01.
  public init(daysSinceEpoch days: Int64) {
    let civil = CivilTime(secondsSinceEpoch: days * 86_400)
    self.init(year: civil.year, month: civil.month, day: civil.day)
  }

  /// The number of days since 1970-01-01 (negative before).
  public var daysSinceEpoch: Int64 {
    // The inverse of CivilTime's conversion, on the proleptic Gregorian calendar.
    let shiftedYear = Int64(month <= 2 ? year - 1 : year)
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
    let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// Returns the date `count` days later (earlier for a negative count).
  public func adding(days count: Int64) -> LocalDate {
    LocalDate(daysSinceEpoch: daysSinceEpoch + count)
  }

  public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    "\(String(year).leftPadded(to: 4))-\(String(month).leftPadded(to: 2))-"
      + String(day).leftPadded(to: 2)
  }

  static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// The local date, hour and UTC offset of an instant in the report's time zone.
public struct LocalHour: Sendable, Hashable, Comparable {
  public let date: LocalDate
  public let hour: Int
  /// The offset from UTC in seconds at that instant, which distinguishes the two hours of
  /// the same name on a day that ends daylight saving time.
  public let utcOffsetSeconds: Int

  public static func < (lhs: LocalHour, rhs: LocalHour) -> Bool {
    // Within a date, an hour is earlier when its UTC instant is: hour minus offset.
    (lhs.date, lhs.hour * 3600 - lhs.utcOffsetSeconds)
      < (rhs.date, rhs.hour * 3600 - rhs.utcOffsetSeconds)
  }

  /// The offset as `UTC+HH:MM` or `UTC-HH:MM`. The `UTC` prefix keeps spreadsheets from
  /// reading the value as a formula or a number.
  public var utcOffset: String {
    let sign = utcOffsetSeconds < 0 ? "-" : "+"
    let magnitude = abs(utcOffsetSeconds)
    return "UTC" + sign + String(magnitude / 3600).leftPadded(to: 2) + ":"
      + String(magnitude % 3600 / 60).leftPadded(to: 2)
  }
}

/// Converts UTC instants to local dates and hours in one time zone, with the zone's
/// daylight saving rules from the system's tz database.
///
/// Offsets are cached per UTC quarter hour, the finest step at which any zone changes its
/// offset, so a run queries Foundation once per quarter hour of traffic, not once per event.
/// Not thread-safe: each worker owns one.
public final class LocalCalendar {
  public let timeZone: TimeZone
  private var offsets: [Int64: Int] = [:]

  public init(timeZone: TimeZone) {
    self.timeZone = timeZone
  }

  /// Returns the UTC offset in seconds at `milliseconds` since the epoch.
  public func offsetSeconds(at milliseconds: Int64) -> Int {
    let quarter = milliseconds.floorDivided(by: 900_000)
    if let cached = offsets[quarter] { return cached }
    let date = Date(timeIntervalSince1970: Double(quarter * 900))
    let offset = timeZone.secondsFromGMT(for: date)
    offsets[quarter] = offset
    return offset
  }

  /// Returns the local hour of `milliseconds` since the epoch.
  public func localHour(at milliseconds: Int64) -> LocalHour {
    let offset = offsetSeconds(at: milliseconds)
    let localSeconds = milliseconds.floorDivided(by: 1000) + Int64(offset)
    let days = localSeconds.floorDivided(by: 86_400)
    let hour = Int((localSeconds - days * 86_400) / 3600)
    return LocalHour(date: LocalDate(daysSinceEpoch: days), hour: hour, utcOffsetSeconds: offset)
  }

  /// Returns the local date of `milliseconds` since the epoch.
  public func localDate(at milliseconds: Int64) -> LocalDate {
    localHour(at: milliseconds).date
  }

  /// Returns the UTC instant, in milliseconds, at which local `date` begins.
  public func startOfDay(_ date: LocalDate) -> Int64 {
    // Midnight local is midnight UTC minus the offset; the offset at that instant may differ
    // from the first guess on a transition day, so the guess is corrected once.
    let midnightUTC = date.daysSinceEpoch * 86_400_000
    var guess = midnightUTC - Int64(offsetSeconds(at: midnightUTC)) * 1000
    let corrected = midnightUTC - Int64(offsetSeconds(at: guess)) * 1000
    if corrected != guess { guess = corrected }
    return guess
  }
}
