import CZlib
import ClicktrailLog
import Foundation

// Compares zlib with libdeflate on members shaped like the writer's (about 1 MiB of click
// lines each): compressing at level 6, and inflating whole members. Prints the speed of each
// in MB/s of uncompressed text, the compressed sizes and the ratios. Not a test: timing
// depends on the machine.

private func makeTexts(memberCount: Int) -> [[UInt8]] {
  var generator = SystemRandomNumberGenerator()
  let agents = [
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
      + "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  ]
  var texts: [[UInt8]] = []
  var timestamp: Int64 = 1_764_806_400_000
  for _ in 0..<memberCount {
    var text: [UInt8] = []
    while text.count < 1 << 20 {
      timestamp += Int64.random(in: 1...50, using: &generator)
      let clickID = String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36)
      let event = ClickEvent(
        timestamp: timestamp, kind: Bool.random(using: &generator) ? .visit : .click,
        clickID: clickID, campaign: "spring-sale", source: "sms-gateway", lander: "l1",
        params: "gender=\(Bool.random() ? "male" : "female")&age=25-34",
        ip: "203.0.113.\(Int.random(in: 0...255, using: &generator))",
        userAgent: agents.randomElement(using: &generator)!)
      LogLineEncoder.append(event, to: &text)
    }
    texts.append(text)
  }
  return texts
}

private func measure(_ label: String, _ body: () -> Int) -> Double {
  let repetitions = 5
  var best = Double.infinity
  var inflated = 0
  for _ in 0..<repetitions {
    let start = DispatchTime.now().uptimeNanoseconds
    inflated = body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    best = min(best, seconds)
  }
  let speed = Double(inflated) / best / 1e6
  print("\(label): \(String(format: "%.0f", speed)) MB/s (best of \(repetitions))")
  return speed
}

func runInflateBenchmark(memberCount: Int) {
  let texts = makeTexts(memberCount: memberCount)
  let textBytes = texts.reduce(0) { $0 + $1.count }
  var zlibBytes = 0
  let zlibCompressSpeed = measure("zlib compress, level 6") {
    zlibBytes = 0
    for text in texts {
      var size = compressBound(uLong(text.count))
      var output = [UInt8](repeating: 0, count: Int(size))
      _ = compress2(&output, &size, text, uLong(text.count), 6)
      zlibBytes += Int(size)
    }
    return textBytes
  }
  var members: [[UInt8]] = []
  let libdeflateCompressSpeed = measure("libdeflate compress, level 6") {
    let compressor = GzipMemberCompressor(level: 6)
    members = texts.map { text in text.withUnsafeBytes { compressor.compress($0, stream: .clicks) }
    }
    return textBytes
  }
  let compressedBytes = members.reduce(0) { $0 + $1.count }
  print("text: \(textBytes / 1024) KiB in \(members.count) members")
  print("compressed: zlib \(zlibBytes / 1024) KiB, libdeflate \(compressedBytes / 1024) KiB")
  print(
    "compress, libdeflate / zlib: "
      + String(format: "%.2f", libdeflateCompressSpeed / zlibCompressSpeed) + "x")

  let zlibSpeed = measure("zlib streaming inflate") {
    let inflater = StreamingInflater()
    var total = 0
    for member in members {
      inflater.reset()
      let payload = member[
        GzipMember.writerHeaderLength..<(member.count - GzipMember.trailerLength)]
      _ = payload.withUnsafeBytes { inflater.inflate($0) { total += $0.count } }
    }
    return total
  }

  let libdeflateSpeed = measure("libdeflate whole member") {
    let decompressor = WholeMemberDecompressor()
    var output: [UInt8] = []
    var total = 0
    for member in members {
      let outcome = member.withUnsafeBytes { decompressor.decompress(member: $0, into: &output) }
      precondition(outcome == .success)
      total += output.count
    }
    return total
  }

  print("inflate, libdeflate / zlib: \(String(format: "%.2f", libdeflateSpeed / zlibSpeed))x")
}
