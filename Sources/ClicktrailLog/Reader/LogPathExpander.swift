import Glibc

/// Turns command-line arguments into the list of log files to read.
public enum LogPathExpander {
  /// The name endings of the files taken from a folder.
  public static let suffixes = [".tsv.gz", ".tsv"]

  /// Expands each argument: a file is taken as it is; a folder gives every regular file
  /// below it whose name ends in `.tsv.gz` or `.tsv`, sorted by path. An argument that
  /// does not exist but holds `*`, `?` or `[` is a glob(3) pattern whose matches are expanded
  /// the same way, so an existing path is always taken literally. A file met twice, under
  /// the same or another path (a link), is kept once, where first met, and a folder met
  /// twice through symbolic links is searched once.
  /// - Throws: `LogPathError` naming the first argument that does not exist, matches no
  ///   file or holds no log file, or a folder below it that cannot be read.
  /// - Complexity: O(n log n) in the files found.
  public static func expand(_ arguments: [String]) throws(LogPathError) -> [String] {
    var result: [String] = []
    var seenFiles: Set<FileIdentity> = []
    var seenPaths: Set<String> = []
    var visitedFolders: Set<FileIdentity> = []
    for argument in arguments {
      let matches: [String]
      if exists(argument) {
        matches = [argument]
      } else if argument.contains(where: { "*?[".contains($0) }) {
        matches = glob(argument)
        guard !matches.isEmpty else {
          throw LogPathError(argument: argument, reason: "matches no file")
        }
      } else {
        throw LogPathError(argument: argument, reason: "does not exist")
      }
      var files: [String] = []
      var repeated = false
      for match in matches {
        if isDirectory(match) {
          // A folder given twice, or inside one given before, adds no file but is no error.
          if let identity = FileIdentity(path: match), visitedFolders.contains(identity) {
            repeated = true
          }
          files += try logFiles(under: match, visited: &visitedFolders)
        } else {
          files.append(match)
        }
      }
      guard !files.isEmpty || repeated else {
        throw LogPathError(argument: argument, reason: "holds no log file")
      }
      for file in files {
        let isNew =
          if let identity = FileIdentity(path: file) {
            seenFiles.insert(identity).inserted
          } else {
            seenPaths.insert(file).inserted
          }
        if isNew { result.append(file) }
      }
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

  private static func isRegularFile(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
  }

  /// Returns the log files below `directory`, sorted, skipping folders already in `visited`.
  /// - Throws: `LogPathError` naming a folder that cannot be opened, with the system's reason.
  private static func logFiles(
    under directory: String, visited: inout Set<FileIdentity>
  ) throws(LogPathError) -> [String] {
    var files: [String] = []
    var pending = [directory]
    while let folder = pending.popLast() {
      guard let identity = FileIdentity(path: folder), visited.insert(identity).inserted else {
        continue
      }
      guard let handle = opendir(folder) else {
        let reason = String(cString: strerror(errno))
        throw LogPathError(argument: folder, reason: "cannot be read: \(reason)")
      }
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name.hasPrefix(".") { continue }
        let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
        if isDirectory(path) {
          pending.append(path)
        } else if suffixes.contains(where: { name.hasSuffix($0) }) && isRegularFile(path) {
          files.append(path)
        }
      }
    }
    return files.sorted()
  }
}

/// The device and inode of a file, which name it whatever path leads to it.
private struct FileIdentity: Hashable {
  let device: UInt64
  let inode: UInt64

  /// Reads the identity of the file at `path`, following symbolic links; nil when it cannot
  /// be read.
  init?(path: String) {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    device = UInt64(status.st_dev)
    inode = UInt64(status.st_ino)
  }
}

/// An argument that names no log file.
public struct LogPathError: Error, Equatable, CustomStringConvertible {
  /// The argument as given, or the folder below it that cannot be read.
  public let argument: String
  /// Why it gives no file: "does not exist", "matches no file", "holds no log file" or
  /// "cannot be read: " and the system's reason.
  public let reason: String

  /// Creates the error for `argument`.
  public init(argument: String, reason: String) {
    self.argument = argument
    self.reason = reason
  }

  public var description: String { "\(argument): \(reason)" }
}
