import CLibFuzzer
import Foundation

/// Runs one fuzz target.
///
/// Built with `scripts/fuzz`, which defines `CLICKTRAIL_FUZZ` and links libFuzzer,
/// `clicktrail-fuzz TARGET [libFuzzer flags] [corpus folders]` fuzzes. Built by a plain
/// `swift build`, `clicktrail-fuzz TARGET FILE...` runs each file, or each file in a folder,
/// through the target's checks once, so that a failing input replays without libFuzzer.
@main
enum FuzzMain {
  /// The targets by name. Each checks its invariants with `FuzzCheck.require`, which stops
  /// the process, so that libFuzzer saves the input.
  static let targets:
    [(name: String, summary: String, run: @Sendable (UnsafeRawBufferPointer) -> Void)] = [
      ("log-reader", "bytes as a log file, read as report and verify read it", LogReaderTarget.run),
      ("log-line", "bytes as one log line and as field values for the writer", LogLineTarget.run),
      ("requests", "bytes as HTTP requests to the redirect service", RequestTarget.run),
      (
        "catalogue", "bytes as catalogue JSON, then its URL templates expanded", CatalogueTarget.run
      ),
      ("sends", "bytes as the gateway's sends CSV", SendsTarget.run),
      ("report", "bytes as clicks and postbacks lines, through the whole report", ReportTarget.run),
    ]

  /// Whether targets print what they do, for replaying an input by hand:
  /// `CLICKTRAIL_FUZZ_VERBOSE=1`.
  static let verbose = ProcessInfo.processInfo.environment["CLICKTRAIL_FUZZ_VERBOSE"] == "1"

  /// The target that `LLVMFuzzerRunDriver` calls; a C callback cannot capture it.
  nonisolated(unsafe) static var selected: ((UnsafeRawBufferPointer) -> Void)?

  /// The variable that passes the target to the processes libFuzzer starts with `-fork`,
  /// whose command lines lack it.
  static let targetVariable = "CLICKTRAIL_FUZZ_TARGET"

  static func main() {
    var arguments = CommandLine.arguments
    let target: (name: String, summary: String, run: @Sendable (UnsafeRawBufferPointer) -> Void)
    if arguments.count >= 2, let named = targets.first(where: { $0.name == arguments[1] }) {
      target = named
      arguments.remove(at: 1)
      setenv(targetVariable, named.name, 1)
    } else if let name = ProcessInfo.processInfo.environment[targetVariable],
      let named = targets.first(where: { $0.name == name })
    {
      target = named
    } else {
      let names = targets.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n")
      FileHandle.standardError.write(
        Data("usage: clicktrail-fuzz TARGET [FILE...]\ntargets:\n\(names)\n".utf8))
      exit(64)
    }
    selected = target.run
    #if CLICKTRAIL_FUZZ
      exit(runLibFuzzer(arguments))
    #else
      exit(replay(Array(arguments.dropFirst())))
    #endif
  }

  #if CLICKTRAIL_FUZZ
    /// Hands the arguments, without the target name, to libFuzzer.
    private static func runLibFuzzer(_ arguments: [String]) -> Int32 {
      var pointers = arguments.map { strdup($0) }
      pointers.append(nil)
      var count = Int32(arguments.count)
      return pointers.withUnsafeMutableBufferPointer { buffer in
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return LLVMFuzzerRunDriver(&count, &argv) { data, size in
          FuzzMain.selected!(UnsafeRawBufferPointer(start: data, count: size))
          return 0
        }
      }
    }
  #endif

  /// Runs every file of `paths` (folders are searched) through the selected target.
  private static func replay(_ paths: [String]) -> Int32 {
    var files: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        FileHandle.standardError.write(Data("error: \(path) not found\n".utf8))
        return 1
      }
      guard isDirectory.boolValue else {
        files.append(path)
        continue
      }
      let names = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String }
      for name in (names ?? []).sorted() {
        let file = path + "/" + name
        var nested: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &nested), !nested.boolValue {
          files.append(file)
        }
      }
    }
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        FileHandle.standardError.write(Data("error: cannot read \(file)\n".utf8))
        return 1
      }
      print("running \(file) (\(data.count) bytes)")
      data.withUnsafeBytes { selected!($0) }
    }
    print("\(files.count) inputs passed")
    return 0
  }
}

/// The checks of the targets.
enum FuzzCheck {
  /// Stops the process with `message` when `condition` is false, so that libFuzzer keeps
  /// the input as a crash.
  static func require(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
    line: UInt = #line
  ) {
    if !condition { fatalError("invariant failed: \(message())", file: file, line: line) }
  }
}

/// A folder of this process for the files that targets read, on tmpfs when there is one.
enum ScratchFolder {
  static let path: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
    var template = Array("\(base)/clicktrail-fuzz-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("cannot create a scratch folder") }
    let path = String(cString: made)
    atexit { try? FileManager.default.removeItem(atPath: ScratchFolder.path) }
    return path
  }()

  /// Writes `bytes` to the file `name` in the folder and returns its path.
  static func write(_ bytes: UnsafeRawBufferPointer, name: String) -> String {
    let path = self.path + "/" + name
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { fatalError("cannot write \(path): \(errno)") }
    var written = 0
    while written < bytes.count {
      let result = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
      guard result > 0 else { fatalError("cannot write \(path): \(errno)") }
      written += result
    }
    close(descriptor)
    return path
  }
}
