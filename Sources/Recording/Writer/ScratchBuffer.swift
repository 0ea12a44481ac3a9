/// A byte buffer the writer fills again for every record (header JSON, a
/// body) and binds without a copy (`Statement.bindStatic`). It grows as
/// needed and is never shrunk, so after warm-up recording a record
/// allocates nothing here.
///
/// Contract with SQLite: once bound, the bytes must stay where they are and
/// unchanged until the statement has been stepped and reset; the writer
/// refills a buffer only after the statement that used it was reset.
final class ScratchBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 2048) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func removeAll() { count = 0 }

    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        p.update(from: base, count: count)
        base.deallocate()
        base = p
        capacity = c
    }

    @inline(__always)
    func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    /// Lets `body` write at most `maxCount` bytes at the end of the buffer;
    /// `body` returns how many it wrote.
    @inline(__always)
    func appendUnsafe(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maxCount)
        count += body(base + count)
    }

    func append(_ p: UnsafeRawBufferPointer) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: src, byteCount: p.count)
        count += p.count
    }

    func append(_ a: [UInt8]) {
        a.withUnsafeBytes { append($0) }
    }

    /// Replaces the contents with `a`.
    func set(_ a: [UInt8]) {
        count = 0
        append(a)
    }
}
