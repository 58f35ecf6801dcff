import ClicktrailSupport

/// The on-disk layout of log files, shared by the writer, the reader and the batch job.
///
/// A file lives at `<root>/<stream>/<YYYY-MM-DD>/<name>`, and its name is
/// `<stream>-<YYYY-MM-DD>T<HH>-<host>-<pid>-<seq>.tsv.gz`. The date and hour are the UTC hour
/// that every event in the file falls in. The host is sanitised to `[A-Za-z0-9._-]`, the pid is
/// the writing process's ID in decimal, and the sequence number is zero-padded to at least three
/// digits and starts at `000`. Writers create files with `O_EXCL` and take the next sequence
/// number when a name is taken, so that no two writers ever share a file.
public enum LogFileLayout {
  /// The length of an hour in milliseconds.
  public static let hourMilliseconds: Int64 = 3_600_000
  /// The host name written for an empty host name.
  public static let unknownHost = "unknown"

  // MARK: - Building paths

  /// Returns the folder that holds the files of `stream` for the UTC day `date` (`YYYY-MM-DD`).
  public static func dayFolder(root: String, stream: LogStream, date: String) -> String {
    let base = root.hasSuffix("/") ? String(root.dropLast()) : root
    return "\(base)/\(stream.rawValue)/\(date)"
  }

  /// Returns the file name for the given fields, sanitising `host`.
  /// - Parameters:
  ///   - date: The UTC date as `YYYY-MM-DD`.
  ///   - hour: The UTC hour, 0 to 23.
  ///   - sequence: The sequence number, 0 or more, written with at least three digits.
  public static func fileName(
    stream: LogStream, date: String, hour: Int, host: String, processID: Int32, sequence: Int
  ) -> String {
    let hourText = String(hour).leftPadded(to: 2)
    let sequenceText = String(sequence).leftPadded(to: 3)
    let hostText = sanitizedHostName(host)
    return "\(stream.rawValue)-\(date)T\(hourText)-\(hostText)-\(processID)-\(sequenceText)"
      + LogFormat.fileSuffix
  }

  /// Replaces every character outside `[A-Za-z0-9.-]` with `_`, and an empty name with `unknown`.
  public static func sanitizedHostName(_ host: String) -> String {
    guard !host.isEmpty else { return unknownHost }
    let bytes = host.utf8.map { byte -> UInt8 in
      isHostByte(byte) ? byte : UInt8(ascii: "_")
    }
    // Each non-ASCII character becomes one `_` per UTF-8 byte, which keeps the name ASCII.
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Returns the index of the UTC hour holding `milliseconds` since the Unix epoch, counted
  /// from the epoch's hour.
  public static func hourIndex(ofMilliseconds milliseconds: Int64) -> Int64 {
    milliseconds.floorDivided(by: hourMilliseconds)
  }

  /// Returns the UTC date (`YYYY-MM-DD`) and hour (0 to 23) of the hour with index `hourIndex`.
  public static func dateAndHour(ofHourIndex hourIndex: Int64) -> (date: String, hour: Int) {
    let civil = CivilTime(secondsSinceEpoch: hourIndex * 3600)
    return (civil.dateString, civil.hour)
  }

  // MARK: - Parsing names

  /// Parses a log file name (without folders) into its fields.
  /// - Returns: nil unless the name follows the layout exactly: a known stream, a valid date
  ///   and hour, a non-empty sanitised host, a decimal pid and a sequence of three or more digits.
  public static func parse(fileName: String) -> LogFileName? {
    guard fileName.hasSuffix(LogFormat.fileSuffix) else { return nil }
    let stem = Array(fileName.utf8.dropLast(LogFormat.fileSuffix.utf8.count))
    guard
      let stream = LogStream.allCases.first(where: {
        stem.starts(with: Array($0.rawValue.utf8) + [UInt8(ascii: "-")])
      })
    else { return nil }
    var rest = stem.dropFirst(stream.rawValue.utf8.count + 1)
    // `YYYY-MM-DDTHH-` is 14 bytes.
    guard rest.count > 14 else { return nil }
    let stamp = Array(rest.prefix(14))
    rest = rest.dropFirst(14)
    guard let (date, hour) = parseStamp(stamp) else { return nil }
    // The host may contain `-`, so the pid and sequence are taken from the right.
    let parts = rest.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
    guard parts.count >= 3 else { return nil }
    let sequenceBytes = parts[parts.count - 1]
    let processBytes = parts[parts.count - 2]
    let hostBytes = rest.prefix(rest.count - sequenceBytes.count - processBytes.count - 2)
    guard sequenceBytes.count >= 3, let sequence = parseDecimal(sequenceBytes) else { return nil }
    guard let processID = parseDecimal(processBytes), processID <= Int(Int32.max) else {
      return nil
    }
    guard !hostBytes.isEmpty, hostBytes.allSatisfy({ isHostByte($0) || $0 == UInt8(ascii: "_") })
    else { return nil }
    return LogFileName(
      stream: stream, date: date, hour: hour, host: String(decoding: hostBytes, as: UTF8.self),
      processID: Int32(processID), sequence: sequence)
  }

  // MARK: - Helpers

  private static func isHostByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
      || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
  }

  /// Parses `YYYY-MM-DDTHH-` into the date text and the hour.
  private static func parseStamp(_ stamp: [UInt8]) -> (String, Int)? {
    let dash = UInt8(ascii: "-")
    guard stamp[4] == dash, stamp[7] == dash, stamp[10] == UInt8(ascii: "T"), stamp[13] == dash,
      let year = parseDecimal(stamp[0..<4]), let month = parseDecimal(stamp[5..<7]),
      let day = parseDecimal(stamp[8..<10]), let hour = parseDecimal(stamp[11..<13])
    else { return nil }
    guard year >= 1, (1...12).contains(month), (1...31).contains(day), hour < 24 else {
      return nil
    }
    return (String(decoding: stamp[0..<10], as: UTF8.self), hour)
  }

  /// Parses a non-empty run of ASCII digits of at most 18 digits.
  private static func parseDecimal(_ bytes: some Collection<UInt8>) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value = 0
    for byte in bytes {
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      value = value * 10 + Int(byte - 0x30)
    }
    return value
  }
}

/// The fields of a log file name.
public struct LogFileName: Sendable, Hashable {
  /// The stream the file holds.
  public var stream: LogStream
  /// The UTC date of every event in the file, as `YYYY-MM-DD`.
  public var date: String
  /// The UTC hour of every event in the file, 0 to 23.
  public var hour: Int
  /// The sanitised name of the host that wrote the file.
  public var host: String
  /// The ID of the process that wrote the file.
  public var processID: Int32
  /// The file's sequence number within its stream, hour, host and process.
  public var sequence: Int

  /// Creates the fields of a name from an already sanitised `host`.
  public init(
    stream: LogStream, date: String, hour: Int, host: String, processID: Int32, sequence: Int
  ) {
    self.stream = stream
    self.date = date
    self.hour = hour
    self.host = host
    self.processID = processID
    self.sequence = sequence
  }

  /// The file name these fields make.
  public var fileName: String {
    LogFileLayout.fileName(
      stream: stream, date: date, hour: hour, host: host, processID: processID,
      sequence: sequence)
  }
}
