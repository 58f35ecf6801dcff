import ClicktrailSupport
import Foundation

/// Where a command writes its output: standard output for results and help, standard
/// error for diagnostics and progress.
public protocol Console: Sendable {
  /// Writes `text` to standard output as it is.
  func writeOutput(_ text: String)
  /// Writes `text` to standard error as it is.
  func writeError(_ text: String)
  /// Whether standard error is a terminal, so that progress lines make sense.
  var errorIsTerminal: Bool { get }
  /// The error text of the first failed write to standard output, or nil when all succeeded.
  var outputFailure: String? { get }
}

extension Console {
  public var outputFailure: String? { nil }
}

/// The process's real standard output and standard error.
public struct ProcessConsole: Console {
  private static let firstOutputFailure = LockedValue<String?>(nil)

  public init() {}

  public func writeOutput(_ text: String) {
    if let failure = Self.write(text, to: 1) {
      Self.firstOutputFailure.withLock { $0 = $0 ?? failure }
    }
  }

  public var outputFailure: String? { Self.firstOutputFailure.withLock { $0 } }

  public func writeError(_ text: String) {
    _ = Self.write(text, to: 2)
  }

  public var errorIsTerminal: Bool { isatty(2) != 0 }

  /// Writes all of `text`, retrying after interruptions.
  /// - Returns: The system's error text when the write failed, else nil.
  private static func write(_ text: String, to descriptor: Int32) -> String? {
    var text = text
    return text.withUTF8 { bytes -> String? in
      var offset = 0
      while offset < bytes.count {
        let written = Foundation.write(
          descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return String(cString: strerror(errno))
        }
        offset += written
      }
      return nil
    }
  }
}

/// Keeps everything written, for tests.
public final class CapturedConsole: Console {
  private let buffers = LockedValue((output: "", error: ""))

  public init() {}

  public func writeOutput(_ text: String) { buffers.withLock { $0.output += text } }
  public func writeError(_ text: String) { buffers.withLock { $0.error += text } }
  public var errorIsTerminal: Bool { false }

  /// Everything written to standard output.
  public var output: String { buffers.withLock { $0.output } }
  /// Everything written to standard error.
  public var error: String { buffers.withLock { $0.error } }
}
