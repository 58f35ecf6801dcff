/// One record of a CSV file with the line it starts on (1-based), or why it is malformed.
struct CSVRecord: Equatable {
  let line: Int
  var fields: [String]
  /// The reason the record breaks RFC 4180, or nil when it is well formed.
  var problem: String?
}

/// Splits RFC 4180 text into records: fields separated by commas, records by CRLF or LF,
/// fields in double quotes may contain commas, line breaks and doubled quotes (`""`).
/// A UTF-8 byte order mark at the start is skipped, and so are empty lines.
enum CSVRecords {
  static func parse(_ bytes: [UInt8]) -> [CSVRecord] {
    let comma = UInt8(ascii: ",")
    let quote = UInt8(ascii: "\"")
    let cr: UInt8 = 13
    let lf: UInt8 = 10
    var records: [CSVRecord] = []
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var line = 1
    while index < bytes.count {
      let startLine = line
      var fields: [String] = []
      var field: [UInt8] = []
      var problem: String?
      var recordEnded = false
      var lineIsEmpty = true
      while index < bytes.count, !recordEnded {
        var byte = bytes[index]
        if byte == quote, field.isEmpty {
          // A quoted field runs to the next quote that is not doubled.
          lineIsEmpty = false
          index += 1
          var closed = false
          while index < bytes.count {
            byte = bytes[index]
            if byte == quote {
              if index + 1 < bytes.count, bytes[index + 1] == quote {
                field.append(quote)
                index += 2
                continue
              }
              index += 1
              closed = true
              break
            }
            if byte == lf { line += 1 }
            field.append(byte)
            index += 1
          }
          if !closed {
            problem = problem ?? "a quoted field is not closed before the end of the file"
          } else if index < bytes.count, ![comma, cr, lf].contains(bytes[index]) {
            problem = problem ?? "text follows the closing quote of field \(fields.count + 1)"
          }
          continue
        }
        index += 1
        switch byte {
        case comma:
          lineIsEmpty = false
          fields.append(String(decoding: field, as: UTF8.self))
          field = []
        case lf:
          line += 1
          recordEnded = true
        case cr where index < bytes.count && bytes[index] == lf:
          continue
        default:
          lineIsEmpty = false
          if byte == quote {
            problem = problem ?? "a double quote inside unquoted field \(fields.count + 1)"
          }
          field.append(byte)
        }
      }
      if lineIsEmpty { continue }
      fields.append(String(decoding: field, as: UTF8.self))
      records.append(CSVRecord(line: startLine, fields: fields, problem: problem))
    }
    return records
  }
}
