import Foundation

// Benchmarks that are run by hand; bench/inflate, bench/useragents and bench/serve call them.
// Usage: clicktrail-bench inflate [MEMBERS] | clicktrail-bench useragents [COUNT]
//        | clicktrail-bench load URL [--rate N] [--connections N] [--duration SECONDS]
//        | clicktrail-bench bound WORKERS PATH...

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
case "bound":
  guard arguments.count >= 3, let workers = Int(arguments[1]), workers > 0 else {
    FileHandle.standardError.write(Data("usage: clicktrail-bench bound WORKERS PATH...\n".utf8))
    exit(64)
  }
  do {
    try runInflateBound(arguments: Array(arguments.dropFirst(2)), workers: workers)
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
        + "       | clicktrail-bench load URL [--rate N] [--connections N] [--duration SECONDS]\n"
        + "       | clicktrail-bench bound WORKERS PATH...\n")
        .utf8))
  exit(64)
}
