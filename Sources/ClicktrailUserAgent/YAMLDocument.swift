import CYAML
import Foundation

/// A position in a YAML file, with line and column both counted from 1.
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
  public let line: Int
  public let column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  init(_ mark: yaml_mark_t) {
    self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  public var description: String { "line \(line), column \(column)" }
}

/// A node of a loaded YAML document, with the position where it starts.
public struct YAMLNode: Sendable {
  /// A key and its value in a mapping.
  public struct Pair: Sendable {
    public let key: YAMLNode
    public let value: YAMLNode
  }

  /// The node's value. A scalar keeps its text and whether it was written unquoted, because
  /// only an unquoted scalar can be null.
  public enum Content: Sendable {
    case scalar(String, isPlain: Bool)
    case sequence([YAMLNode])
    case mapping([Pair])
  }

  public let content: Content
  public let mark: YAMLMark

  /// Whether the node is a null scalar: unquoted and empty, `~` or `null` (YAML 1.1 core).
  public var isNull: Bool {
    guard case .scalar(let text, isPlain: true) = content else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(text)
  }

  /// The text of a scalar that is not null; nil for null scalars, sequences and mappings.
  public var string: String? {
    guard case .scalar(let text, _) = content, !isNull else { return nil }
    return text
  }

  /// The items of a sequence; nil for other nodes.
  public var items: [YAMLNode]? {
    guard case .sequence(let items) = content else { return nil }
    return items
  }

  /// The pairs of a mapping in document order; nil for other nodes.
  public var pairs: [Pair]? {
    guard case .mapping(let pairs) = content else { return nil }
    return pairs
  }

  /// Returns the value of the first pair whose key is the scalar `key`, in a mapping.
  public func value(forKey key: String) -> YAMLNode? {
    pairs?.first { $0.key.string == key }?.value
  }
}

/// A failure to read or parse a YAML file.
public struct YAMLError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case fileNotFound
    case unreadable
    case invalidSyntax
  }

  public let kind: Kind
  public let path: String
  /// The position of the problem, when libyaml reports one.
  public let mark: YAMLMark?
  public let message: String

  public var description: String {
    if let mark {
      return "\(path): \(mark): \(message)"
    }
    return "\(path): \(message)"
  }
}

/// Loads YAML files with libyaml's document API.
public enum YAMLDocument {
  /// The deepest nesting accepted. It also stops an alias that refers to its own anchor from
  /// recursing forever.
  static let maximumDepth = 64

  /// Reads the file at `path` and returns the root node of its first document, or nil when
  /// the file contains no document.
  public static func load(path: String) throws(YAMLError) -> YAMLNode? {
    let bytes: [UInt8]
    do {
      bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch CocoaError.fileReadNoSuchFile {
      throw YAMLError(kind: .fileNotFound, path: path, mark: nil, message: "file not found")
    } catch {
      throw YAMLError(
        kind: .unreadable, path: path, mark: nil,
        message: "cannot read the file: \(error.localizedDescription)")
    }
    return try parse(bytes, path: path)
  }

  /// Parses `bytes` as YAML; `path` names the source in errors.
  public static func parse(_ bytes: [UInt8], path: String) throws(YAMLError) -> YAMLNode? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      throw YAMLError(
        kind: .unreadable, path: path, mark: nil, message: "libyaml could not allocate a parser")
    }
    defer { yaml_parser_delete(&parser) }

    let result: Result<YAMLNode?, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var document = yaml_document_t()
      guard yaml_parser_load(&parser, &document) == 1 else {
        return .failure(syntaxError(parser, path: path))
      }
      defer { yaml_document_delete(&document) }
      guard let root = yaml_document_get_root_node(&document) else { return .success(nil) }
      return Result { () throws(YAMLError) in
        try convert(root, in: &document, depth: 0, path: path)
      }
    }
    return try result.get()
  }

  private static func syntaxError(_ parser: yaml_parser_t, path: String) -> YAMLError {
    var message = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
    if let context = parser.context {
      message += " (\(String(cString: context)) at \(YAMLMark(parser.context_mark)))"
    }
    // A reader error (bad encoding) sets problem_offset instead of problem_mark.
    if parser.error == YAML_READER_ERROR {
      message += " at byte offset \(parser.problem_offset)"
      return YAMLError(kind: .invalidSyntax, path: path, mark: nil, message: message)
    }
    return YAMLError(
      kind: .invalidSyntax, path: path, mark: YAMLMark(parser.problem_mark), message: message)
  }

  private static func convert(
    _ node: UnsafeMutablePointer<yaml_node_t>, in document: inout yaml_document_t, depth: Int,
    path: String
  ) throws(YAMLError) -> YAMLNode {
    let mark = YAMLMark(node.pointee.start_mark)
    guard depth < maximumDepth else {
      throw YAMLError(
        kind: .invalidSyntax, path: path, mark: mark,
        message: "nesting is deeper than \(maximumDepth) levels")
    }
    switch node.pointee.type {
    case YAML_SCALAR_NODE:
      let scalar = node.pointee.data.scalar
      let text = String(
        decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
      return YAMLNode(
        content: .scalar(text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE), mark: mark)
    case YAML_SEQUENCE_NODE:
      var items: [YAMLNode] = []
      var item = node.pointee.data.sequence.items.start
      while let current = item, current != node.pointee.data.sequence.items.top {
        let child = try childNode(current.pointee, in: &document, path: path, mark: mark)
        items.append(try convert(child, in: &document, depth: depth + 1, path: path))
        item = current + 1
      }
      return YAMLNode(content: .sequence(items), mark: mark)
    case YAML_MAPPING_NODE:
      var pairs: [YAMLNode.Pair] = []
      var pair = node.pointee.data.mapping.pairs.start
      while let current = pair, current != node.pointee.data.mapping.pairs.top {
        let key = try childNode(current.pointee.key, in: &document, path: path, mark: mark)
        let value = try childNode(current.pointee.value, in: &document, path: path, mark: mark)
        pairs.append(
          YAMLNode.Pair(
            key: try convert(key, in: &document, depth: depth + 1, path: path),
            value: try convert(value, in: &document, depth: depth + 1, path: path)))
        pair = current + 1
      }
      return YAMLNode(content: .mapping(pairs), mark: mark)
    default:
      throw YAMLError(
        kind: .invalidSyntax, path: path, mark: mark, message: "libyaml returned an empty node")
    }
  }

  private static func childNode(
    _ index: Int32, in document: inout yaml_document_t, path: String, mark: YAMLMark
  ) throws(YAMLError) -> UnsafeMutablePointer<yaml_node_t> {
    guard let child = yaml_document_get_node(&document, index) else {
      throw YAMLError(
        kind: .invalidSyntax, path: path, mark: mark,
        message: "libyaml returned a dangling node reference")
    }
    return child
  }
}
