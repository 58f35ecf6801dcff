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
}

/// The process's real standard output and standard error.
public struct ProcessConsole: Console {
  public init() {}

  public func writeOutput(_ text: String) {
    Self.write(text, to: 1)
  }

  public func writeError(_ text: String) {
    Self.write(text, to: 2)
  }

  public var errorIsTerminal: Bool { isatty(2) != 0 }

  private static func write(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = Foundation.write(
          descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
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
