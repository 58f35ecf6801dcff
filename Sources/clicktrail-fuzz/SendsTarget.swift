import ClicktrailSends

/// Reads the input as the gateway's sends file (CSV, or gzip when it starts with the gzip
/// magic number) against the requests target's catalogue, without and with a date range.
enum SendsTarget {
  static func run(_ data: UnsafeRawBufferPointer) {
    let path = ScratchFolder.write(data, name: "sends.csv")
    // 2026-11-02T00:00Z to 2026-11-16T00:00Z.
    for range in [nil, Int64(1_762_041_600_000)..<1_763_251_200_000] {
      guard
        let table = try? SendsReader.read(
          path: path, catalogue: RequestTarget.catalogue, sentWithin: range)
      else { continue }
      var previousLine = 0
      for problem in table.problems {
        FuzzCheck.require(problem.line >= max(1, previousLine), "problem lines out of order")
        previousLine = problem.line
      }
      for (key, totals) in table.totals {
        FuzzCheck.require(
          totals.delivered >= 0 && totals.sent >= 0 && totals.undelivered >= 0
            && totals.failed >= 0 && totals.otherStatus >= 0, "negative count for \(key)")
        FuzzCheck.require(
          totals.deliveredCost >= 0 && totals.totalCost >= totals.deliveredCost,
          "costs of \(key): delivered \(totals.deliveredCost), total \(totals.totalCost)")
      }
      FuzzCheck.require(
        table.countedRows >= table.totals.count, "\(table.totals.count) keys from fewer rows")
    }
  }
}
