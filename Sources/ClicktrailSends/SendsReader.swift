import ClicktrailCatalogue
import ClicktrailLog
import Foundation

/// A campaign and segment: the unit the gateway's sends are counted by.
public struct SendsKey: Hashable, Sendable, Comparable {
  /// The campaign key.
  public var campaign: String
  /// The segment label as short links write it, values percent-encoded:
  /// `gender=male&age=25-34`.
  public var segment: String

  public init(campaign: String, segment: String) {
    self.campaign = campaign
    self.segment = segment
  }

  public static func < (lhs: SendsKey, rhs: SendsKey) -> Bool {
    (lhs.campaign, lhs.segment) < (rhs.campaign, rhs.segment)
  }
}

/// The messages of one campaign and segment by status, and what they cost.
public struct SendsTotals: Sendable, Equatable {
  /// The maximum number of messages counted for one campaign and segment: 10^12, far beyond
  /// any campaign, so that no sum of counts can overflow, however large the numbers in a file.
  public static let maxMessages = 1_000_000_000_000

  public var delivered = 0
  /// Messages the carrier accepted without confirming delivery.
  public var sent = 0
  public var undelivered = 0
  public var failed = 0
  /// Messages in any other Twilio status, such as `queued` or `canceled`.
  public var otherStatus = 0
  /// The price of the delivered messages, as a positive amount.
  public var deliveredCost: Decimal = 0
  /// The price of every message counted, as a positive amount.
  public var totalCost: Decimal = 0
  /// The ISO 4217 code of the costs, empty while no row gave one.
  public var currency = ""

  public init() {}
}

/// A row that was not counted, with where it is and why.
public struct SendsProblem: Sendable, Equatable, CustomStringConvertible {
  public var path: String
  /// The line the row starts on, 1-based.
  public var line: Int
  public var reason: String

  /// The problem as `path:line: reason`.
  public var description: String { "\(path):\(line): \(reason)" }
}

/// The sends of a file by campaign and segment, with every row that could not be counted.
public struct SendsTable: Sendable {
  /// The layouts `SendsReader` reads, detected from the header.
  public enum Format: String, Sendable {
    /// The gateway's message log in Twilio's CSV export layout.
    case twilioExport
    /// One row per campaign and segment: `campaign,segment,delivered,cost,currency`.
    case aggregated
  }

  public var format: Format
  public var totals: [SendsKey: SendsTotals] = [:]
  /// The rows not counted, in file order.
  public var problems: [SendsProblem] = []
  /// The data rows counted.
  public var countedRows = 0
  /// Incoming messages of a Twilio export (a reply such as STOP), which carry no link.
  public var inboundRows = 0
  /// Messages skipped because they were sent outside the requested range.
  public var outsideRangeRows = 0
  /// Whether a range was requested but the file has no dates, so its sends cover the whole
  /// file.
  public var coversWholeFile = false
}

/// A sends file that cannot be read at all: missing, unreadable or with an unknown header.
public struct SendsReadError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
}

/// Reads what the SMS gateway sent, so that SMS click-through rate and cost per message come
/// from the gateway's own data. docs/sends.md describes both formats.
///
/// Phone numbers are read but never stored or written into a problem.
public enum SendsReader {
  static let twilioRequired = ["Body", "Status", "Price", "PriceUnit"]
  static let aggregatedColumns = ["campaign", "segment", "delivered", "cost", "currency"]

  /// Reads the sends file at `path`.
  /// - Throws: `SendsReadError` when the file cannot be read or its header is neither format.
  public static func read(
    path: String, catalogue: Catalogue, sentWithin: Range<Int64>? = nil
  ) throws(SendsReadError) -> SendsTable {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SendsReadError(description: "\(path): cannot read the file")
    }
    var bytes = [UInt8](data)
    if GzipFile.isGzip(bytes) {
      // A gzip-compressed export (detected by its first bytes) is read like the plain one.
      do {
        bytes = try GzipFile.decompress(bytes)
      } catch {
        throw SendsReadError(description: "\(path): \(error.description)")
      }
    }
    return try parse(bytes, path: path, catalogue: catalogue, sentWithin: sentWithin)
  }

  /// Reads sends from the CSV bytes `bytes`; `path` names the file in problems.
  /// - Parameter sentWithin: When given, only messages whose `SentDate` falls in this range
  ///   of Unix milliseconds count; the others are counted in `outsideRangeRows`. A file
  ///   without dates (aggregated, or an export without `SentDate`) cannot be limited, which
  ///   `coversWholeFile` then says.
  /// - Throws: `SendsReadError` when the header is neither format.
  public static func parse(
    _ bytes: [UInt8], path: String, catalogue: Catalogue, sentWithin: Range<Int64>? = nil
  ) throws(SendsReadError) -> SendsTable {
    var records = CSVRecords.parse(bytes)[...]
    guard let header = records.popFirst() else {
      throw SendsReadError(description: "\(path): the file is empty; expected a CSV header")
    }
    let columns = Dictionary(
      header.fields.enumerated().map { ($1.trimmingCharacters(in: .whitespaces), $0) },
      uniquingKeysWith: { first, _ in first })
    var table: SendsTable
    if twilioRequired.allSatisfy({ columns[$0] != nil }) {
      table = SendsTable(format: .twilioExport)
    } else if aggregatedColumns.allSatisfy({ columns[$0] != nil }) {
      table = SendsTable(format: .aggregated)
    } else {
      throw SendsReadError(
        description: "\(path):\(header.line): unknown header; expected a Twilio message export "
          + "with the columns \(twilioRequired.joined(separator: ", ")) or the columns "
          + aggregatedColumns.joined(separator: ","))
    }
    let rows = RowReader(columns: columns, catalogue: catalogue)
    let dateColumn = table.format == .twilioExport ? columns["SentDate"] : nil
    if sentWithin != nil && dateColumn == nil { table.coversWholeFile = true }
    let dates = SentDateParser()
    for record in records {
      let outcome: RowReader.Outcome
      if let problem = record.problem {
        outcome = .rejected(problem)
      } else if record.fields.count != header.fields.count {
        outcome = .rejected(
          "expected \(header.fields.count) fields as in the header, found \(record.fields.count)")
      } else if let range = sentWithin, let dateColumn {
        let text = record.fields[dateColumn].trimmingCharacters(in: .whitespaces)
        if let sent = dates.milliseconds(text) {
          outcome = range.contains(sent) ? rows.readMessage(record.fields) : .outsideRange
        } else {
          outcome = .rejected(
            "invalid SentDate '\(text)': expected ISO 8601 such as 2026-11-02T14:00:00+00:00")
        }
      } else {
        outcome =
          table.format == .twilioExport
          ? rows.readMessage(record.fields) : rows.readAggregate(record.fields)
      }
      switch outcome {
      case .rejected(let reason):
        table.problems.append(SendsProblem(path: path, line: record.line, reason: reason))
      case .inbound:
        table.inboundRows += 1
      case .outsideRange:
        table.outsideRangeRows += 1
      case .counted(let key, let row):
        var totals = table.totals[key, default: SendsTotals()]
        if !row.currency.isEmpty, !totals.currency.isEmpty, row.currency != totals.currency {
          let reason =
            "currency \(row.currency) differs from \(totals.currency) in earlier rows of "
            + "campaign \(key.campaign), segment \(key.segment)"
          table.problems.append(SendsProblem(path: path, line: record.line, reason: reason))
          continue
        }
        guard totals.messages + row.messages <= SendsTotals.maxMessages else {
          let reason =
            "the messages of campaign \(key.campaign), segment \(key.segment) would exceed "
            + "\(SendsTotals.maxMessages) with this row"
          table.problems.append(SendsProblem(path: path, line: record.line, reason: reason))
          continue
        }
        totals.add(row)
        table.totals[key] = totals
        table.countedRows += 1
      }
    }
    return table
  }
}

extension SendsTotals {
  /// The messages counted, in every status.
  var messages: Int { delivered + sent + undelivered + failed + otherStatus }

  mutating func add(_ row: RowReader.Row) {
    delivered += row.delivered
    sent += row.sent
    undelivered += row.undelivered
    failed += row.failed
    otherStatus += row.otherStatus
    deliveredCost += row.deliveredCost
    totalCost += row.totalCost
    if currency.isEmpty { currency = row.currency }
  }
}
