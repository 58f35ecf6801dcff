import ClicktrailSupport
import Foundation
import Synchronization

/// The counters one flush adds to the statistics.
struct FlushOutcome {
  var takenBytes = 0
  var eventsWritten = 0
  var membersWritten = 0
  var bytesWritten = 0
  var filesOpened = 0
  var droppedEvents = 0
  var droppedBytes = 0
  var writeErrors = 0
  var unsyncedEvents = 0
}

extension LogWriterCore {
  // MARK: - Flush pass

  /// Writes every pending line as members, fsyncs when due and closes files whose hour is over.
  /// - Parameter final: True when closing: fsync and close every file, whatever its hour.
  func flushPending(final: Bool) {
    io.withLock { state in
      let start = ContinuousClock.now
      let batches = queue.withLock { queue -> [Int64: [UInt8]] in
        let taken = queue.pending
        queue.pending = [:]
        return taken
      }
      var outcome = FlushOutcome()
      for hour in batches.keys.sorted() {
        guard let bytes = batches[hour] else { continue }
        outcome.takenBytes += bytes.count
        writeBatch(bytes, hour: hour, state: &state, outcome: &outcome)
      }
      syncIfDue(state: &state, outcome: &outcome, force: final)
      closeFiles(state: &state, outcome: &outcome, all: final)
      let elapsed = ContinuousClock.now - start
      let microseconds =
        Int(elapsed.components.seconds) * 1_000_000
        + Int(elapsed.components.attoseconds / 1_000_000_000_000)
      let wroteData = outcome.takenBytes > 0
      queue.withLock { queue in
        queue.queuedBytes -= outcome.takenBytes
        queue.statistics.eventsWritten += outcome.eventsWritten
        queue.statistics.membersWritten += outcome.membersWritten
        queue.statistics.bytesWritten += outcome.bytesWritten
        queue.statistics.filesOpened += outcome.filesOpened
        queue.statistics.droppedEvents += outcome.droppedEvents
        queue.statistics.droppedBytes += outcome.droppedBytes
        queue.statistics.writeErrors += outcome.writeErrors
        queue.statistics.unsyncedEvents += outcome.unsyncedEvents
        if wroteData {
          queue.statistics.lastFlushMicroseconds = microseconds
          queue.statistics.flushMicrosecondsTotal += microseconds
          queue.statistics.flushCount += 1
        }
      }
    }
    warnAboutDropsIfDue()
  }

  /// Splits one hour's lines into members of at most `maxMemberBytes` at line ends and writes
  /// them. After a failure the rest of the hour's lines are dropped and counted, and the next
  /// flush tries a new file.
  private func writeBatch(
    _ bytes: [UInt8], hour: Int64, state: inout FlusherState, outcome: inout FlushOutcome
  ) {
    let maxMemberBytes = max(configuration.maxMemberBytes, 1)
    var start = 0
    while start < bytes.count {
      var end = min(start + maxMemberBytes, bytes.count)
      if end < bytes.count {
        if let lineEnd = bytes[start..<end].lastIndex(of: 0x0A) {
          end = lineEnd + 1
        } else {
          // A single line longer than a member makes a member of its own.
          end = (bytes[end...].firstIndex(of: 0x0A) ?? (bytes.count - 1)) + 1
        }
      }
      let chunk = bytes[start..<end]
      start = end
      guard writeMember(chunk, hour: hour, state: &state, outcome: &outcome) else {
        let rest = bytes[start...]
        outcome.droppedEvents += rest.count { $0 == 0x0A }
        outcome.droppedBytes += rest.count
        return
      }
    }
  }

  // MARK: - Members

  /// Writes `lines` as one member to the hour's file, creating the file when needed.
  /// - Returns: False when the lines were lost to an error, which is then counted and logged.
  private func writeMember(
    _ lines: ArraySlice<UInt8>, hour: Int64, state: inout FlusherState,
    outcome: inout FlushOutcome
  ) -> Bool {
    let events = lines.count { $0 == 0x0A }
    func drop() -> Bool {
      outcome.droppedEvents += events
      outcome.droppedBytes += lines.count
      return false
    }
    if let file = state.files[hour], isRemoved(file) {
      state.files[hour] = nil
      closeFile(file, reason: "removed", state: &state, outcome: &outcome)
    }
    if state.files[hour] == nil {
      guard openFile(hour: hour, state: &state, outcome: &outcome) else { return drop() }
    }
    guard var file = state.files[hour] else { return drop() }
    let member: [UInt8]
    if file.members == 0 {
      let content = header + lines
      member = content.withUnsafeBytes { state.compressor.compress($0, stream: stream) }
    } else {
      member = lines.withUnsafeBytes { state.compressor.compress($0, stream: stream) }
    }
    if let code = Self.writeAll(member, to: file.descriptor, using: configuration.writeCall) {
      let error = LogFileError(operation: "write", path: file.path, code: code)
      report(error, state: &state, outcome: &outcome)
      state.files[hour] = nil
      if file.members == 0 {
        // A file that never got a member is removed quietly and its sequence number reused,
        // so that a full disk costs one rate-limited error message, not two lines per flush.
        _ = Foundation.close(file.descriptor)
        _ = unlink(file.path)
        state.nextSequence[hour] = file.sequence
        return drop()
      }
      // Cut off a partly written member so that the file stays whole. A failure is harmless
      // because readers stop at a damaged tail.
      _ = ftruncate(file.descriptor, off_t(file.bytes))
      closeFile(file, reason: "error", state: &state, outcome: &outcome)
      return drop()
    }
    if file.members == 0 {
      outcome.filesOpened += 1
      logger.info(
        "opened log file",
        [
          "log.stream": stream.rawValue, "file.path": file.path,
          "file.sequence": String(file.sequence),
        ])
    }
    file.bytes += member.count
    file.members += 1
    file.needsSync = true
    file.unsyncedEvents += events
    outcome.eventsWritten += events
    outcome.membersWritten += 1
    outcome.bytesWritten += member.count
    state.files[hour] = file
    if configuration.fsyncInterval <= .zero {
      syncFile(hour: hour, state: &state, outcome: &outcome)
    }
    if let current = state.files[hour], current.bytes >= configuration.maxFileBytes {
      state.files[hour] = nil
      closeFile(current, reason: "size", state: &state, outcome: &outcome)
    }
    return true
  }

  /// Writes all of `bytes`, retrying partial writes and `EINTR`.
  /// - Returns: nil on success, or the `errno` of the failed call.
  static func writeAll(
    _ bytes: [UInt8], to descriptor: Int32, using writeCall: LogWriterConfiguration.WriteCall
  ) -> Int32? {
    bytes.withUnsafeBytes { buffer -> Int32? in
      var offset = 0
      while offset < buffer.count {
        let written = writeCall(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
  }

  // MARK: - Files

  private func openFile(hour: Int64, state: inout FlusherState, outcome: inout FlushOutcome)
    -> Bool
  {
    do throws(LogFileError) {
      // Once a file exists, a missing root means it was removed or its file system unmounted.
      // Recreating it then would hide the files under a later mount, or fill the file system
      // that holds the mount point, so the events are dropped and counted until it is back.
      if state.createdFile, !Self.isFolder(root) {
        throw LogFileError(operation: "open", path: root, code: ENOENT)
      }
      let created = try LogFileLayout.createFile(
        root: root, stream: stream, hourIndex: hour, host: configuration.hostName,
        processID: configuration.processID, firstSequence: state.nextSequence[hour] ?? 0)
      // The file is counted and logged once its first member is written.
      state.createdFile = true
      state.nextSequence[hour] = created.sequence + 1
      state.files[hour] = OpenLogFile(
        descriptor: created.descriptor, path: created.path, hourIndex: hour,
        sequence: created.sequence)
      return true
    } catch {
      report(error, state: &state, outcome: &outcome)
      return false
    }
  }

  private static func isFolder(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  /// Returns whether `file` no longer has a name, because its folder or the log root was
  /// removed. Writes to such a file succeed but reach no reader, so the writer opens a new file
  /// instead, recreating the folders.
  private func isRemoved(_ file: OpenLogFile) -> Bool {
    var status = stat()
    guard fstat(file.descriptor, &status) == 0, status.st_nlink == 0 else { return false }
    logger.warning(
      "log file was removed while open; writing to a new file",
      ["log.stream": stream.rawValue, "file.path": file.path])
    return true
  }

  /// Fsyncs the hour's file, or counts the error and closes the file when that fails.
  private func syncFile(hour: Int64, state: inout FlusherState, outcome: inout FlushOutcome) {
    guard var file = state.files[hour], file.needsSync else { return }
    if configuration.fsyncCall(file.descriptor) == 0 {
      file.needsSync = false
      file.unsyncedEvents = 0
      state.files[hour] = file
      return
    }
    report(
      LogFileError(operation: "fsync", path: file.path, code: errno), state: &state,
      outcome: &outcome)
    // Linux drops the pages of a failed fsync, so these events may never reach the disk.
    outcome.unsyncedEvents += file.unsyncedEvents
    state.files[hour] = nil
    closeFile(file, reason: "error", state: &state, outcome: &outcome)
  }

  private func syncIfDue(state: inout FlusherState, outcome: inout FlushOutcome, force: Bool) {
    let now = ContinuousClock.now
    guard force || now - state.lastSync >= configuration.fsyncInterval else { return }
    for hour in state.files.keys.sorted() {
      syncFile(hour: hour, state: &state, outcome: &outcome)
    }
    state.lastSync = now
  }

  /// Closes the files whose hour ended more than `closeGrace` ago, or every file when `all`.
  private func closeFiles(state: inout FlusherState, outcome: inout FlushOutcome, all: Bool) {
    let now = configuration.clock.nowMilliseconds()
    let grace = configuration.closeGrace.wholeMilliseconds
    for hour in state.files.keys.sorted() {
      let hourEnd = (hour + 1) * LogFileLayout.hourMilliseconds
      guard all || now - hourEnd > grace, let file = state.files[hour] else { continue }
      state.files[hour] = nil
      closeFile(file, reason: all ? "shutdown" : "hour", state: &state, outcome: &outcome)
    }
    // Sequence hints only save `open` calls, so old ones can go.
    let currentHour = LogFileLayout.hourIndex(ofMilliseconds: now)
    state.nextSequence = state.nextSequence.filter { $0.key >= currentHour - 48 }
  }

  /// Fsyncs (unless the file broke) and closes `file`, which is already out of `state.files`.
  /// - Parameter reason: `hour` or `size` for a rotation, `shutdown`, `error` or `removed`
  ///   otherwise.
  private func closeFile(
    _ file: OpenLogFile, reason: String, state: inout FlusherState, outcome: inout FlushOutcome
  ) {
    if reason != "error" && file.needsSync && configuration.fsyncCall(file.descriptor) != 0 {
      report(
        LogFileError(operation: "fsync", path: file.path, code: errno), state: &state,
        outcome: &outcome)
      outcome.unsyncedEvents += file.unsyncedEvents
    }
    if Foundation.close(file.descriptor) != 0 && reason != "error" {
      report(
        LogFileError(operation: "close", path: file.path, code: errno), state: &state,
        outcome: &outcome)
    }
    var metadata = [
      "log.stream": stream.rawValue, "file.path": file.path, "file.bytes": String(file.bytes),
      "file.members": String(file.members),
    ]
    if reason == "hour" || reason == "size" {
      metadata["rotation.reason"] = reason
      logger.info("rotated log file", metadata)
    } else {
      metadata["close.reason"] = reason
      logger.info("closed log file", metadata)
    }
  }

  // MARK: - Errors

  /// Counts a failed call and logs it, at most once per 10 s with the number left unlogged.
  private func report(_ error: LogFileError, state: inout FlusherState, outcome: inout FlushOutcome)
  {
    outcome.writeErrors += 1
    let now = configuration.clock.nowMilliseconds()
    if let last = state.lastErrorLog, now - last < Self.messageIntervalMilliseconds {
      state.suppressedErrors += 1
      return
    }
    logger.error(
      "log file operation failed",
      [
        "log.stream": stream.rawValue, "file.path": error.path, "error.operation": error.operation,
        "error.errno": String(error.code), "error.message": error.message,
        "errors.unlogged": String(state.suppressedErrors),
      ])
    state.lastErrorLog = now
    state.suppressedErrors = 0
  }
}
