/// A UTC calendar date and time of day computed from Unix time without Foundation's
/// calendar, so that it is cheap enough for every log line and file name.
public struct CivilTime: Sendable, Equatable {
  public let year: Int
  public let month: Int
  public let day: Int
  public let hour: Int
  public let minute: Int
  public let second: Int

  /// Splits `secondsSinceEpoch` (UTC, may be negative) into calendar fields.
  public init(secondsSinceEpoch: Int64) {
    let days = secondsSinceEpoch.floorDivided(by: 86_400)
    let secondOfDay = Int(secondsSinceEpoch - days * 86_400)
    // Howard Hinnant's days-from-civil inverse, on the proleptic Gregorian calendar.
    let shifted = days + 719_468
    let era = shifted.floorDivided(by: 146_097)
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    self.year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    self.month = Int(month)
    self.day = Int(day)
    self.hour = secondOfDay / 3600
    self.minute = secondOfDay % 3600 / 60
    self.second = secondOfDay % 60
  }

  /// The date as `YYYY-MM-DD`.
  public var dateString: String {
    "\(String(year).leftPadded(to: 4))-\(String(month).leftPadded(to: 2))-"
      + String(day).leftPadded(to: 2)
  }

  /// The date and time as `YYYY-MM-DDTHH:MM:SS`.
  public var isoString: String {
    "\(dateString)T\(String(hour).leftPadded(to: 2)):\(String(minute).leftPadded(to: 2)):"
      + String(second).leftPadded(to: 2)
  }
}

extension Int64 {
  /// Divides rounding toward negative infinity, so that times before the epoch fall in the
  /// right day or second.
  public func floorDivided(by divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }
}

extension String {
  /// Pads with leading zeros to `width` characters.
  public func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
