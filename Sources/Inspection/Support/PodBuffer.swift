/// A growable buffer of plain values for the inspection hot path.
///
/// Why not `Array`: every `append` to an array in a loop checks that its
/// storage is uniquely referenced (a runtime call) and may retain it; on a
/// 1 MiB JSON body that is ~80,000 appends per scan. This buffer is owned by
/// one `PatternScratch` (one thread), never shared, so it appends with a
/// capacity check only. Elements are bitwise-copyable: no deinit work.
final class PodBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int
    private let initialCapacity: Int

    init(capacity: Int = 64) {
        initialCapacity = Swift.max(capacity, 1)
        self.capacity = initialCapacity
        base = .allocate(capacity: initialCapacity)
    }

    deinit { base.deallocate() }

    @inline(__always) subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    var last: Element? { count > 0 ? base[count - 1] : nil }

    /// The elements, valid until the next mutation.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always) func append(_ e: Element) {
        if count == capacity { grow(to: capacity * 2) }
        (base + count).initialize(to: e)
        count &+= 1  // below capacity, which is an allocated count
    }

    @inline(__always) func removeLast() { count -= 1 }

    /// Makes room for `n` more elements: then `appendUnchecked` may be
    /// called `n` times without a capacity check.
    @inline(__always) func reserveMore(_ n: Int) {
        if count + n > capacity { grow(to: Swift.max(capacity * 2, count + n)) }
    }

    @inline(__always) func appendUnchecked(_ e: Element) {
        (base + count).initialize(to: e)
        count &+= 1
    }

    /// Makes room for `n` elements in all without regrowing.
    func reserve(_ n: Int) { if n > capacity { grow(to: n) } }

    /// Empties the buffer; storage above `limit` elements is freed, so one
    /// huge body does not pin its buffers for the thread's lifetime.
    func removeAll(keepingCapacityUpTo limit: Int = .max) {
        count = 0
        if capacity > limit {
            base.deallocate()
            capacity = initialCapacity
            base = .allocate(capacity: capacity)
        }
    }

    @inline(never) private func grow(to n: Int) {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: n)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = n
    }
}
