/// Copies of a record's text values, bound to SQLite without another copy
/// (`SQLITE_STATIC`) instead of as `SQLITE_TRANSIENT`, which makes SQLite
/// `malloc` a copy of every bound string and `free` it at reset.
///
/// Memory is handed out from chunks that never move, so every copy stays
/// valid until `reset()`. The writer resets the arena only between records,
/// once the statements that used it have been stepped and reset (the
/// `ScratchBuffer` contract). After warm-up a record allocates nothing here.
final class TextArena {
    static let chunkSize = 16 * 1024

    private var chunks: [UnsafeMutableRawPointer] = []
    /// Chunks bigger than `chunkSize`, for one long value each; freed at reset.
    private var oversized: [UnsafeMutableRawPointer] = []
    private var chunk = 0
    private var used = 0

    init() {
        chunks.append(.allocate(byteCount: Self.chunkSize, alignment: 8))
    }

    deinit {
        for c in chunks { c.deallocate() }
        for c in oversized { c.deallocate() }
    }

    /// Forgets every copy; their memory is reused.
    func reset() {
        chunk = 0
        used = 0
        for c in oversized { c.deallocate() }
        oversized.removeAll(keepingCapacity: true)
    }

    /// A copy of `s`'s UTF-8 bytes, valid until `reset()`.
    func copy(_ s: String) -> UnsafeRawBufferPointer {
        var s = s
        return s.withUTF8 { p -> UnsafeRawBufferPointer in
            let n = p.count
            let dst = space(n)
            if let src = p.baseAddress, n > 0 { dst.copyMemory(from: src, byteCount: n) }
            return UnsafeRawBufferPointer(start: dst, count: n)
        }
    }

    private func space(_ n: Int) -> UnsafeMutableRawPointer {
        if n > Self.chunkSize {
            let p = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 8)
            oversized.append(p)
            return p
        }
        if used + n > Self.chunkSize {
            chunk += 1
            used = 0
            if chunk == chunks.count { chunks.append(.allocate(byteCount: Self.chunkSize, alignment: 8)) }
        }
        let p = chunks[chunk] + used
        used += n
        return p
    }
}
