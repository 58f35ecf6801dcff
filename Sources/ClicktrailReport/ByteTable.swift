import Glibc

/// Distinct byte strings, each numbered in the order first seen, found without copying the
/// bytes looked up: the report's sink numbers a line's texts from the reader's buffer.
struct ByteTable: Sendable {
  private var storage: [UInt8] = []
  private var ranges: [Range<Int>] = []
  private var hashes: [UInt64] = []
  /// Open addressing with linear probing: entry numbers, -1 for a free slot; at most half
  /// full.
  private var slots = [Int32](repeating: -1, count: 64)

  /// The number of distinct byte strings.
  var count: Int { ranges.count }

  /// Returns the number of `bytes` and whether they were new, adding them when they were.
  mutating func number(of bytes: UnsafeBufferPointer<UInt8>) -> (number: UInt32, isNew: Bool) {
    let hash = Self.hash(bytes)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] >= 0 {
      let entry = Int(slots[slot])
      if hashes[entry] == hash && equals(entry, bytes) { return (UInt32(entry), false) }
      slot = (slot + 1) & mask
    }
    let entry = ranges.count
    ranges.append(storage.count..<storage.count + bytes.count)
    storage.append(contentsOf: bytes)
    hashes.append(hash)
    slots[slot] = Int32(entry)
    if ranges.count * 2 > slots.count { grow() }
    return (UInt32(entry), true)
  }

  private func equals(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let range = ranges[entry]
    guard range.count == bytes.count else { return false }
    return storage.withUnsafeBufferPointer { stored in
      guard let base = bytes.baseAddress, let storedBase = stored.baseAddress else { return true }
      return memcmp(storedBase + range.lowerBound, base, bytes.count) == 0
    }
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    let mask = slots.count - 1
    for (entry, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(entry)
    }
  }

  /// Hashes 8 bytes at a time with a multiply and a rotation, then mixes the result so that
  /// its low bits, which pick the slot, depend on every byte.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    guard let base = bytes.baseAddress else { return 0 }
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var index = 0
    while index + 8 <= bytes.count {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      hash = ((hash ^ word) &* 0xFF51_AFD7_ED55_8CCD)
      hash = hash << 29 | hash >> 35
      index += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.count {
      tail |= UInt64(base[index]) << shift
      shift += 8
      index += 1
    }
    hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    hash ^= hash >> 33
    hash &*= 0xFF51_AFD7_ED55_8CCD
    hash ^= hash >> 33
    return hash
  }
}
