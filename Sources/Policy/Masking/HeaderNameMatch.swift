/// ASCII case-insensitive comparison of raw bytes with a lower-case static
/// name, for the per-exchange header checks of masking (no `String`, no
/// lookup table to load). Only `A`–`Z` fold: `a` matches `a` and `A`, every
/// other byte only itself.
enum HeaderNameMatch {
    /// Whether `name` equals `lower` (ASCII, lower case) case-insensitively.
    /// Eight bytes at a time: per word, the bits that fold (0x20 where
    /// `lower` has a letter) are computed from `lower` itself, then
    /// `name | fold` must equal it; the last word overlaps the one before.
    @inline(__always)
    static func equals(_ name: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        let n = lower.utf8CodeUnitCount
        guard name.count == n else { return false }
        guard n > 0, let a = name.baseAddress else { return true }
        let l = UnsafeRawPointer(lower.utf8Start)
        if n < 8 {
            for i in 0..<n where fold(a.load(fromByteOffset: i, as: UInt8.self))
                != l.load(fromByteOffset: i, as: UInt8.self) {
                return false
            }
            return true
        }
        var i = 0
        while true {
            let at = min(i, n &- 8)
            let p = l.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            if a.loadUnaligned(fromByteOffset: at, as: UInt64.self) | foldBits(p) != p { return false }
            i &+= 8
            if i >= n { return true }
        }
    }

    /// `c` with `A`–`Z` lowered.
    @inline(__always)
    static func fold(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }

    /// 0x20 in each byte of `p` that is `a`–`z`, 0 elsewhere. Every byte of
    /// `p` is ASCII (below 0x80), so the additions carry into no other byte:
    /// `b + 0x1F` has its top bit set from `a` (0x61) up, `b + 0x05` from `{` (0x7B) up.
    @inline(__always)
    static func foldBits(_ p: UInt64) -> UInt64 {
        ((p &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(p &+ 0x0505_0505_0505_0505) & 0x8080_8080_8080_8080) >> 2
    }

    /// Whether `bytes` ends with `lower` (ASCII, lower case), case-insensitively.
    @inline(__always)
    static func hasSuffix(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        let n = lower.utf8CodeUnitCount
        return bytes.count >= n && equals(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - n)...]), lower)
    }
}
