import Foundation

/// The `clicktrail` executable built with the running tests.
public enum BuiltExecutable {
  /// The executable in the folder of the running test bundle, so that a build with a
  /// sanitizer or in another build path runs its own executable. Without one there, the
  /// debug or release build under the repository's `.build`, or nil when none is built.
  public static let clicktrail: String? = {
    var candidates: [String] = []
    if let bundle = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      candidates.append(
        URL(fileURLWithPath: bundle).deletingLastPathComponent().path + "/clicktrail")
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().path
    candidates += [root + "/.build/debug/clicktrail", root + "/.build/release/clicktrail"]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()
}
