import Foundation

// Benchmarks that are run by hand; bench/inflate and bench/useragents call them.
// Usage: clicktrail-bench inflate [MEMBERS] | clicktrail-bench useragents [COUNT]
//        | clicktrail-bench bound WORKERS PATH...

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "bound" {
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
  exit(0)
}
let count = arguments.count > 1 ? Int(arguments[1]) : nil
if arguments.count > 1, count == nil || count! <= 0 {
  FileHandle.standardError.write(Data("error: invalid count '\(arguments[1])'\n".utf8))
  exit(64)
}

switch arguments.first {
case "inflate":
  runInflateBenchmark(memberCount: count ?? 64)
case "useragents":
  do {
    try runUserAgentBenchmark(limit: count)
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
  }
default:
  FileHandle.standardError.write(
    Data(
      ("usage: clicktrail-bench inflate [MEMBERS] | clicktrail-bench useragents [COUNT]"
        + " | clicktrail-bench bound WORKERS PATH...\n").utf8))
  exit(64)
}
