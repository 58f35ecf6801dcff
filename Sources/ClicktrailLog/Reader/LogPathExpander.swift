import Glibc

/// Turns command-line arguments into the list of log files to read.
public enum LogPathExpander {
  /// The name endings of the files taken from a folder.
  public static let suffixes = [".tsv.gz", ".tsv", ".gz"]

  /// Expands each argument: a file is taken as it is; a folder gives every file below it
  /// whose name ends in `.tsv.gz`, `.tsv` or `.gz`, sorted by path; an argument holding `*`,
  /// `?` or `[` is a glob(3) pattern whose matches are expanded the same way. A path met
  /// twice is kept once, where first met.
  /// - Throws: `LogPathError` naming the first argument that does not exist or matches no
  ///   file.
  /// - Complexity: O(n log n) in the files found.
  public static func expand(_ arguments: [String]) throws(LogPathError) -> [String] {
    var result: [String] = []
    var seen: Set<String> = []
    for argument in arguments {
      let matches: [String]
      if argument.contains(where: { "*?[".contains($0) }) {
        matches = glob(argument)
        guard !matches.isEmpty else {
          throw LogPathError(argument: argument, reason: "matches no file")
        }
      } else {
        guard exists(argument) else {
          throw LogPathError(argument: argument, reason: "does not exist")
        }
        matches = [argument]
      }
      var files: [String] = []
      for match in matches {
        files += isDirectory(match) ? logFiles(under: match) : [match]
      }
      guard !files.isEmpty else {
        throw LogPathError(argument: argument, reason: "holds no log file")
      }
      for file in files where seen.insert(file).inserted { result.append(file) }
    }
    return result
  }

  // MARK: - File system

  private static func glob(_ pattern: String) -> [String] {
    var matches = glob_t()
    defer { globfree(&matches) }
    guard Glibc.glob(pattern, 0, nil, &matches) == 0 else { return [] }
    return (0..<Int(matches.gl_pathc)).compactMap { index in
      matches.gl_pathv[index].map { String(cString: $0) }
    }
  }

  private static func exists(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
  }

  private static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
  }

  private static func logFiles(under directory: String) -> [String] {
    var files: [String] = []
    var pending = [directory]
    while let folder = pending.popLast() {
      guard let handle = opendir(folder) else { continue }
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name == "." || name == ".." || name.hasPrefix(".") { continue }
        let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
        if isDirectory(path) {
          pending.append(path)
        } else if suffixes.contains(where: { name.hasSuffix($0) }) {
          files.append(path)
        }
      }
    }
    return files.sorted()
  }
}

/// An argument that names no log file.
public struct LogPathError: Error, Equatable, CustomStringConvertible {
  /// The argument as given.
  public let argument: String
  /// Why it gives no file: "does not exist", "matches no file" or "holds no log file".
  public let reason: String

  /// Creates the error for `argument`.
  public init(argument: String, reason: String) {
    self.argument = argument
    self.reason = reason
  }

  public var description: String { "\(argument): \(reason)" }
}
