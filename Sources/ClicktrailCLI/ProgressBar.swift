import ClicktrailLog
import ClicktrailSupport
import Foundation

/// Draws one self-overwriting progress line on a terminal: a bar, the megabytes read, the
/// events decoded and their rate. At most ten updates a second are drawn.
final class ProgressBar: Sendable {
  private let console: Console
  private let start = Date()
  private let lastDraw = LockedValue(Date.distantPast)

  init(console: Console) {
    self.console = console
  }

  func update(_ progress: LogReadProgress) {
    let now = Date()
    let due = lastDraw.withLock { last in
      guard now.timeIntervalSince(last) >= 0.1 || progress.bytesRead >= progress.totalBytes
      else { return false }
      last = now
      return true
    }
    guard due else { return }
    let fraction =
      progress.totalBytes == 0 ? 1 : Double(progress.bytesRead) / Double(progress.totalBytes)
    let filled = Int(fraction * 30)
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
    let seconds = max(now.timeIntervalSince(start), 0.001)
    let rate = Double(progress.events) / seconds
    let line = String(
      format: "\r[%@] %3d%%  %.1f of %.1f MB  %d files  %d events  %.0f events/s\u{1B}[K", bar,
      Int(fraction * 100), Double(progress.bytesRead) / 1e6, Double(progress.totalBytes) / 1e6,
      progress.files, progress.events, rate)
    console.writeError(line)
  }
}
