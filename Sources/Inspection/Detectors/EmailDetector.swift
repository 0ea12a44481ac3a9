/// Email addresses, including internationalized ones (UTF-8 local part and
/// U-label or punycode domains).
///
/// Candidates: one per `@` that has an address character on each side. The
/// validator re-anchors: it extends left over local-part characters (RFC
/// 5322 atext, `.`, UTF-8) and right over domain characters, then checks:
/// local part 1–64 bytes, no leading/trailing/double dot; domain of at least
/// two labels, each 1–63 bytes, not starting or ending with `-`; a top-level
/// label that is alphabetic (2+ letters), `xn--` punycode, or non-ASCII;
/// all UTF-8 well formed. `info@example.` and `pkg@1.2.3` fail.
enum EmailDetector {
    static let patterns = [
        #"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\x80-\xff]@[A-Za-z0-9\x80-\xff]"#,
    ]

    @inline(__always) static func isLocal(_ c: UInt8) -> Bool {
        if ByteClass.isAlnum(c) || c >= 0x80 { return true }
        switch c {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
             UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
             UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "-"):
            return true
        default: return false
        }
    }

    @inline(__always) static func isDomain(_ c: UInt8) -> Bool {
        ByteClass.isAlnum(c) || c >= 0x80 || c == 0x2D || c == 0x2E
    }

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        let at = end - 2
        guard at >= 0, b[at] == UInt8(ascii: "@") else { return nil }
        var lo = at
        var high: UInt8 = 0  // the bits of every byte of the address: below 0x80, all ASCII
        while lo > 0, at - lo < 64, isLocal(b[lo - 1]) { lo -= 1; high |= b[lo] }
        if lo > 0, isLocal(b[lo - 1]) || b[lo - 1] == UInt8(ascii: "@") { return nil }  // local part too long / a@b@c
        while lo < at, b[lo] == 0x2E || (b[lo] & 0xC0) == 0x80 { lo += 1 }  // leading dots, cut UTF-8 tails
        // Typographic punctuation (“ « U+3000…) ends the address; ASCII
        // bytes (most addresses) cannot start such punctuation.
        var k = lo
        while high >= 0x80, k < at {
            if b[k] >= 0xC2, let n = punctuationLength(b, k, limit: at) { lo = k + n; k += n } else { k += 1 }
        }
        guard lo < at, b[at - 1] != 0x2E else { return nil }
        var hi = at + 1
        while hi < b.count, hi - at <= 253, isDomain(b[hi]) {
            if b[hi] >= 0xC2, punctuationLength(b, hi, limit: b.count) != nil { break }
            high |= b[hi]
            hi += 1
        }
        while hi > at + 1, b[hi - 1] == 0x2E || b[hi - 1] == 0x2D { hi -= 1 }
        if let n = b.byte(at: hi), n == UInt8(ascii: "@") { return nil }
        // ASCII is well-formed UTF-8: the checks are skipped for it.
        let ascii = high < 0x80
        guard isValidLocal(b, lo..<at, ascii: ascii), isValidDomain(b, (at + 1)..<hi, ascii: ascii) else { return nil }
        return lo..<hi
    }

    /// Length of a non-ASCII punctuation or space sequence at `i` (U+00A0,
    /// U+00AB, U+00BB, U+2000–U+206F, U+3000–U+303F, U+FF08/09/0C), or nil.
    static func punctuationLength(_ b: UnsafeRawBufferPointer, _ i: Int, limit: Int) -> Int? {
        let c = b[i]
        if c == 0xC2, i + 1 < limit, b[i + 1] == 0xA0 || b[i + 1] == 0xAB || b[i + 1] == 0xBB { return 2 }
        guard i + 2 < limit else { return nil }
        if c == 0xE2, b[i + 1] == 0x80 || b[i + 1] == 0x81 { return 3 }
        if c == 0xE3, b[i + 1] == 0x80 { return 3 }
        if c == 0xEF, b[i + 1] == 0xBC, b[i + 2] == 0x88 || b[i + 2] == 0x89 || b[i + 2] == 0x8C { return 3 }
        return nil
    }

    /// `ascii`: every byte of `r` is below 0x80 (then well-formed UTF-8).
    static func isValidLocal(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, ascii: Bool) -> Bool {
        var previousDot = false
        for i in r {
            let dot = b[i] == 0x2E
            if dot && previousDot { return false }
            previousDot = dot
        }
        return ascii || UTF8Check.isWellFormed(b, r)
    }

    /// `ascii`: every byte of `r` is below 0x80 (then well-formed UTF-8).
    static func isValidDomain(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, ascii: Bool) -> Bool {
        guard ascii || UTF8Check.isWellFormed(b, r) else { return false }
        var labels = 0
        var labelStart = r.lowerBound
        var i = r.lowerBound
        var lastLabel = labelStart..<labelStart
        while i <= r.upperBound {
            if i == r.upperBound || b[i] == 0x2E {
                let label = labelStart..<i
                guard !label.isEmpty, label.count <= 63, b[label.lowerBound] != 0x2D, b[label.upperBound - 1] != 0x2D
                else { return false }
                labels += 1
                lastLabel = label
                labelStart = i + 1
            }
            i += 1
        }
        guard labels >= 2 else { return false }
        // Top-level label: letters only (2+), punycode, or non-ASCII.
        if b.hasPrefix("xn--", at: lastLabel.lowerBound, caseInsensitive: true) { return lastLabel.count > 4 }
        var ascii = true, letters = true
        for k in lastLabel {
            if b[k] >= 0x80 { ascii = false } else if !ByteClass.isAlpha(b[k]) { letters = false }
        }
        if !ascii { return letters }
        return letters && lastLabel.count >= 2
    }
}
