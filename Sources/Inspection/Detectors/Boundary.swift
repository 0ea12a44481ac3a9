/// Token-edge rules shared by numeric detectors, so that digits inside
/// order IDs (`ORD-4111…`), version strings (`1.2.3.4.5`), decimals and
/// identifiers are not taken for PII.
enum Boundary {
    /// The byte before `start` and the byte at `end` must not continue the
    /// token: no letters, digits or `_` touching it, no `-`, `+` or `.`
    /// directly before it, and no `-`/`.` followed by a digit after it.
    static func isNumericTokenEdge(_ b: UnsafeRawBufferPointer, start: Int, end: Int) -> Bool {
        if let p = b.byte(at: start - 1) {
            if ByteClass.isWord(p) || p == 0x2D || p == 0x2E || p == 0x2B || p == 0x2F { return false }
        }
        if let n = b.byte(at: end) {
            if ByteClass.isWord(n) { return false }
            if n == 0x2D || n == 0x2E || n == 0x2F, let nn = b.byte(at: end + 1), ByteClass.isDigit(nn) { return false }
        }
        return true
    }

    /// Nothing alphanumeric (or `_`) touches `start..<end` on either side.
    static func isWordEdge(_ b: UnsafeRawBufferPointer, start: Int, end: Int) -> Bool {
        if let p = b.byte(at: start - 1), ByteClass.isWord(p) { return false }
        if let n = b.byte(at: end), ByteClass.isWord(n) { return false }
        return true
    }
}
