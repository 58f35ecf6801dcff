import Foundation

/// Turns catalogue JSON into a `CatalogueDocument`, reporting syntax errors with their line
/// and column, type errors with their JSON path, and fields that no rule reads.
enum CatalogueDecoding {
  struct Result {
    var document: CatalogueDocument
    var unknownFieldProblems: [String]
  }

  static func decode(_ data: Data) throws(CatalogueError) -> Result {
    let tree: Any
    do {
      tree = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw CatalogueError(problems: [syntaxProblem(error, data: data)])
    }
    guard tree is [String: Any] else {
      throw CatalogueError(problems: ["the top level must be a JSON object"])
    }
    let document: CatalogueDocument
    do {
      document = try JSONDecoder().decode(CatalogueDocument.self, from: data)
    } catch let error as DecodingError {
      throw CatalogueError(problems: [typeProblem(error)])
    } catch {
      throw CatalogueError(problems: ["invalid catalogue: \(error)"])
    }
    var unknown: [String] = []
    checkFields(tree, schema: rootSchema, path: "", problems: &unknown)
    return Result(document: document, unknownFieldProblems: unknown)
  }

  // MARK: - Syntax and type errors

  /// Describes a JSON syntax error. Foundation on Linux names the byte offset in the message
  /// ("around character 12"), which becomes a line and column; the offset stays when the
  /// message names none.
  static func syntaxProblem(_ error: any Error, data: Data) -> String {
    let description =
      (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
      ?? error.localizedDescription
    let detail = description.hasSuffix(".") ? String(description.dropLast()) : description
    guard let range = description.range(of: "character "),
      let offset = Int(description[range.upperBound...].prefix { $0.isNumber })
    else {
      return "invalid JSON: \(detail)"
    }
    let reason = description[..<range.lowerBound].replacingOccurrences(
      of: " around ", with: ""
    ).trimmingCharacters(in: .whitespaces)
    var line = 1
    var column = 1
    for byte in data.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return "invalid JSON at line \(line), column \(column) (byte offset \(offset)): \(reason)"
  }

  static func typeProblem(_ error: DecodingError) -> String {
    switch error {
    case .typeMismatch(let type, let context):
      return "\(path(context.codingPath)): expected \(typeName(type))"
    case .valueNotFound(let type, let context):
      return "\(path(context.codingPath)): expected \(typeName(type)), found null"
    case .keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])): missing"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "invalid catalogue: \(error)"
    }
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Decimal.Type, is Int.Type, is Double.Type: return "a number"
    case is [String: String].Type: return "an object of strings"
    case is [Any].Type: return "an array"
    default:
      let name = "\(type)"
      return name.hasPrefix("Array") ? "an array" : "an object"
    }
  }

  static func path(_ codingPath: [any CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return text.isEmpty ? "catalogue" : text
  }

  // MARK: - Unknown fields

  /// The fields of one kind of object, and the schemas of its fields that hold objects or
  /// arrays of objects. A nil schema means the object's keys are free, as `params` are.
  final class Schema: Sendable {
    let fields: [String]
    let children: [String: Schema?]

    init(_ fields: [String], _ children: [String: Schema?] = [:]) {
      self.fields = fields
      self.children = children
    }
  }

  static func names<Key: CodingKey & CaseIterable>(_ type: Key.Type) -> [String] {
    Key.allCases.map(\.stringValue)
  }

  static let rootSchema = Schema(
    names(CatalogueDocument.CodingKeys.self),
    [
      "service": Schema(names(ServiceDocument.CodingKeys.self)),
      "traffic_sources": Schema(
        names(TrafficSourceDocument.CodingKeys.self),
        ["cost_model": Schema(names(CostModelDocument.CodingKeys.self))]),
      "landers": Schema(names(LanderDocument.CodingKeys.self)),
      "offers": Schema(names(OfferDocument.CodingKeys.self)),
      "networks": Schema(names(NetworkDocument.CodingKeys.self)),
      "campaigns": Schema(
        names(CampaignDocument.CodingKeys.self),
        [
          "destination": Schema(
            names(DestinationDocument.CodingKeys.self),
            [
              "landers": Schema(names(WeightedKeyDocument.CodingKeys.self)),
              "offers": Schema(names(WeightedKeyDocument.CodingKeys.self)),
            ])
        ]),
      "short_links": Schema(names(ShortLinkDocument.CodingKeys.self), ["params": nil]),
    ])

  private static func checkFields(
    _ value: Any, schema: Schema, path: String, problems: inout [String]
  ) {
    if let array = value as? [Any] {
      for (index, element) in array.enumerated() {
        checkFields(element, schema: schema, path: "\(path)[\(index)]", problems: &problems)
      }
      return
    }
    guard let object = value as? [String: Any] else { return }
    let location = path.isEmpty ? "catalogue" : path
    for key in object.keys.sorted() where !schema.fields.contains(key) {
      problems.append(
        "\(location): unknown field \"\(key)\"; known fields: "
          + schema.fields.joined(separator: ", "))
    }
    for (key, child) in schema.children {
      guard let child, let nested = object[key] else { continue }
      let nestedPath = path.isEmpty ? key : "\(path).\(key)"
      checkFields(nested, schema: child, path: nestedPath, problems: &problems)
    }
  }
}
