import Foundation

// Benchmarks that are run by hand; bench/inflate and bench/useragents call them.
// Usage: clicktrail-bench inflate [MEMBERS] | clicktrail-bench useragents [COUNT]

let arguments = Array(CommandLine.arguments.dropFirst())
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
    Data("usage: clicktrail-bench inflate [MEMBERS] | clicktrail-bench useragents [COUNT]\n".utf8))
  exit(64)
}
