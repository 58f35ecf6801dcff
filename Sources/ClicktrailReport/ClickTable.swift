import CPrefetch

/// A hash table from packed click IDs to fixed-size values: open addressing with linear
/// probing over two flat arrays, so an entry costs its key and value and nothing more.
///
/// Keys are mixed with a fixed function, the same in every run; no per-process seed is
/// needed, since the random bits of service click IDs leave an attacker nothing to aim at.
/// The table grows by doubling at 7/8 full.
struct ClickTable<Value: Sendable>: Sendable {
  /// `ClickKey.vacant` marks a free slot; a packed ID never has its top 4 bits set.
  private var keys: [ClickKey]
  private var values: [Value]
  /// The value that free slots hold, never read as an entry's.
  private let placeholder: Value
  private(set) var count = 0

  init(placeholder: Value) {
    self.placeholder = placeholder
    keys = [ClickKey](repeating: .vacant, count: 16)
    values = [Value](repeating: placeholder, count: 16)
  }

  /// Returns the value of `key`, or nil.
  subscript(key: ClickKey) -> Value? {
    let slot = find(key)
    return keys[slot] == key ? values[slot] : nil
  }

  /// Calls `change` with the value of `key`, adding the key with `initial` first when it is
  /// new; `change` learns whether it was.
  mutating func modify(
    _ key: ClickKey, initial: Value, _ change: (_ value: inout Value, _ isNew: Bool) -> Void
  ) {
    var slot = find(key)
    let isNew = keys[slot] != key
    if isNew {
      if (count + 1) * 8 > keys.count * 7 {
        rehash(slots: keys.count * 2)
        slot = find(key)
      }
      keys[slot] = key
      values[slot] = initial
      count += 1
    }
    change(&values[slot], isNew)
  }

  /// Makes room for `additional` more entries, so that adding them does not rehash.
  mutating func reserveCapacity(_ additional: Int) {
    var slots = keys.count
    while slots * 7 < (count + additional) * 8 { slots *= 2 }
    if slots > keys.count { rehash(slots: slots) }
  }

  /// The number of slots, free or not.
  var slotCount: Int { keys.count }

  /// Returns the number of entries in `slots`.
  func count(slots: Range<Int>) -> Int {
    var count = 0
    for slot in slots where keys[slot] != .vacant { count += 1 }
    return count
  }

  /// Calls `body` with every key and value, in slot order.
  func forEachEntry(_ body: (ClickKey, Value) throws -> Void) rethrows {
    try forEachEntry(slots: keys.indices, body)
  }

  /// Calls `body` with the key and value of every entry in `slots`, in slot order.
  func forEachEntry(slots: Range<Int>, _ body: (ClickKey, Value) throws -> Void) rethrows {
    for slot in slots where keys[slot] != .vacant {
      try body(keys[slot], values[slot])
    }
  }

  /// Returns the sum of `value` over the entries.
  func sum(_ value: (Value) -> Int) -> Int {
    var total = 0
    forEachEntry { total += value($1) }
    return total
  }

  /// How many entries ahead a loop over random keys prefetches: far enough for a memory
  /// load to arrive, near enough that the line is still cached when its entry comes.
  static var prefetchDistance: Int { 8 }

  /// Starts loading the first slot that `key` probes into the cache, so that a lookup or
  /// `modify` of `key` a little later waits less on memory.
  func prefetch(_ key: ClickKey) {
    let slot = homeSlot(key)
    keys.withUnsafeBufferPointer { ct_prefetch($0.baseAddress! + slot) }
    values.withUnsafeBufferPointer { ct_prefetch($0.baseAddress! + slot) }
  }

  /// Returns the first slot that `key` probes.
  private func homeSlot(_ key: ClickKey) -> Int {
    // A full mix of both halves: the keys of cells are small numbers side by side, and a
    // weak mix of those piles them into a few runs of slots.
    var mixed = (key.high &* 0x9E37_79B9_7F4A_7C15) ^ key.low
    mixed ^= mixed >> 33
    mixed &*= 0xFF51_AFD7_ED55_8CCD
    mixed ^= mixed >> 33
    mixed &*= 0xC4CE_B9FE_1A85_EC53
    mixed ^= mixed >> 33
    return Int(truncatingIfNeeded: mixed) & (keys.count - 1)
  }

  /// Returns the slot of `key`, or the free slot where it would go.
  private func find(_ key: ClickKey) -> Int {
    let mask = keys.count - 1
    var slot = homeSlot(key)
    while keys[slot] != key && keys[slot] != .vacant {
      slot = (slot + 1) & mask
    }
    return slot
  }

  private mutating func rehash(slots: Int) {
    let oldKeys = keys
    let oldValues = values
    keys = []
    values = []
    keys = [ClickKey](repeating: .vacant, count: slots)
    values = [Value](repeating: placeholder, count: slots)
    for slot in oldKeys.indices where oldKeys[slot] != .vacant {
      let target = find(oldKeys[slot])
      keys[target] = oldKeys[slot]
      values[target] = oldValues[slot]
    }
  }
}
