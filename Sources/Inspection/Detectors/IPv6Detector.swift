/// IPv6 addresses in RFC 4291 text form: eight groups, `::` compression,
/// and an embedded dotted IPv4 tail (`::ffff:192.0.2.1`).
///
/// Candidates: `::`, or four hex groups each followed by a colon; the validator
/// re-anchors to the whole run of hex digits, colons and dots, trims a
/// trailing single `:`/`.`, and parses strictly: 1–4 hex digits per group,
/// at most one `::`, exactly eight groups without it and fewer with it, the
/// IPv4 tail only last. Rejects bare `::`, runs glued to letters
/// (`std::vector`), MAC addresses and clock times (`12:30:45`).
enum IPv6Detector {
    /// Every IPv6 address has `::` or seven colons, so the candidates are
    /// `::` and four colon-terminated hex groups; clock times
    /// (`10:30:00`) and `key:value` text never trigger.
    static let patterns = [#"::"#, #"[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:"#]

    @inline(__always) static func isAddressByte(_ c: UInt8) -> Bool { ByteClass.isHex(c) || c == 0x3A }

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        var lo = end - 1
        while lo > 0, isAddressByte(b[lo - 1]), end - lo < 45 { lo -= 1 }
        if let p = b.byte(at: lo - 1), ByteClass.isWord(p) || p == 0x2E || p == 0x3A { return nil }
        var hi = end
        while hi < b.count, isAddressByte(b[hi]) || b[hi] == 0x2E, hi - lo < 45 { hi += 1 }
        if hi < b.count, isAddressByte(b[hi]) || b[hi] == 0x2E { return nil }
        if b[hi - 1] == 0x2E { hi -= 1 }
        if b[hi - 1] == 0x3A, !(hi - 2 >= lo && b[hi - 2] == 0x3A) { hi -= 1 }
        if let n = b.byte(at: hi), ByteClass.isWord(n) { return nil }
        return parse(b, lo..<hi) ? lo..<hi : nil
    }

    /// Strict RFC 4291 parse of `r`.
    static func parse(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        var groups = 0
        var compressed = false
        var i = r.lowerBound
        let end = r.upperBound
        if end - i < 3 { return false }  // `::` alone, `a::` is 3+
        if b[i] == 0x3A {
            guard b[i + 1] == 0x3A else { return false }
            compressed = true
            i += 2
            if i == end { return false }
        }
        while i < end {
            // Embedded IPv4 tail?
            var j = i
            while j < end, ByteClass.isHex(b[j]) { j += 1 }
            if j < end, b[j] == 0x2E {
                guard IPv4Detector.octets(b, i..<end) else { return false }
                groups += 2
                i = end
                break
            }
            let width = j - i
            guard width >= 1, width <= 4 else { return false }
            groups += 1
            i = j
            if i == end { break }
            guard b[i] == 0x3A else { return false }
            i += 1
            if i < end, b[i] == 0x3A {
                guard !compressed else { return false }
                compressed = true
                i += 1
            } else if i == end {
                return false
            }
        }
        return compressed ? groups <= 7 && groups >= 1 : groups == 8
    }
}
