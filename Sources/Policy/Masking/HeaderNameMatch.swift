/// ASCII case-insensitive comparison of a raw header name with a lower-case
/// static name, for the per-exchange header checks of masking (no
/// `String`, no lookup table to load).
enum HeaderNameMatch {
    @inline(__always)
    static func equals(_ name: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard name.count == lower.utf8CodeUnitCount else { return false }
        let l = lower.utf8Start
        for i in 0..<name.count {
            var b = name[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }  // only A-Z fold
            if b != l[i] { return false }
        }
        return true
    }
}
