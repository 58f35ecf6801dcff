import Foundation

// Benchmarks that are run by hand; bench/inflate, bench/useragents and bench/serve call them.
// Usage: clicktrail-bench inflate [MEMBERS] | clicktrail-bench useragents [COUNT]
//        | clicktrail-bench load URL [--rate N] [--connections N] [--duration SECONDS]

let arguments = Array(CommandLine.arguments.dropFirst())

/// Returns the optional count after the subcommand, exiting with 64 when it is invalid.
func countArgument() -> Int? {
  guard arguments.count > 1 else { return nil }
  guard let count = Int(arguments[1]), count > 0 else {
    FileHandle.standardError.write(Data("error: invalid count '\(arguments[1])'\n".utf8))
    exit(64)
  }
  return count
}

switch arguments.first {
case "inflate":
  runInflateBenchmark(memberCount: countArgument() ?? 64)
case "useragents":
  do {
    try runUserAgentBenchmark(limit: countArgument())
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
  }
case "load":
  exit(runLoadCommand(Array(arguments.dropFirst())))
default:
  FileHandle.standardError.write(
    Data(
      ("usage: clicktrail-bench inflate [MEMBERS] | clicktrail-bench useragents [COUNT]\n"
        + "       | clicktrail-bench load URL [--rate N] [--connections N] [--duration SECONDS]\n")
        .utf8))
  exit(64)
}
