/// Telephone numbers: E.164 (`+14155552671`), international with separators
/// (`+44 20 7946 0958`, `+1 (415) 555-2671`), NANP national forms
/// (`(415) 555-2671`, `415-555-2671`, `1-800-555-0199`), trunk-prefix
/// national forms with two separators (`020 7946 0958`, `07700 900123`) and
/// the French pairs form (`01 23 45 67 89`, `06.12.34.56.78`).
///
/// To keep false positives low a number needs a `+` prefix or separators:
/// bare national digit runs are never matched. Validation: clean token
/// edges; for `+` forms the validator re-anchors to the longest run of digit
/// groups and requires 8–15 digits in total (E.164 allows at most 15) with
/// balanced parentheses; NANP area and exchange codes start with 2–9.
enum PhoneDetector {
    static let patterns = [
        #"\+[1-9][0-9]{7,14}\b"#,
        #"\+[1-9][0-9]{0,3}(?:[ .\-]\(?[0-9]{1,5}\)?){2,6}"#,
        #"(?:\([2-9][0-9]{2}\) ?|\b[2-9][0-9]{2}[ .\-])[2-9][0-9]{2}[ .\-][0-9]{4}\b"#,
        #"\b1[ .\-][2-9][0-9]{2}[ .\-][2-9][0-9]{2}[ .\-][0-9]{4}\b"#,
        #"\b0[1-9][0-9]{1,4}[ \-][0-9]{3,4}[ \-][0-9]{3,4}\b"#,
        #"\b07[0-9]{3} [0-9]{6}\b"#,
        #"\b0[1-9](?:[ .][0-9]{2}){4}\b"#,
    ]

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        if let p = b.byte(at: start - 1) {
            if ByteClass.isWord(p) || p == 0x2B || p == 0x2D || p == 0x2E || p == 0x2F || p == 0x28 { return nil }
        }
        var hi = end
        if b[start] == 0x2B { hi = extendInternational(b, start) }
        if let n = b.byte(at: hi) {
            if ByteClass.isWord(n) { return nil }
            if n == 0x2D || n == 0x2E || n == 0x2F, let nn = b.byte(at: hi + 1), ByteClass.isDigit(nn) { return nil }
        }
        var digits = 0, open = 0
        for i in start..<hi {
            switch b[i] {
            case 0x30...0x39: digits += 1
            case 0x28: open += 1; if open > 1 { return nil }
            case 0x29: open -= 1; if open < 0 { return nil }
            default: break
            }
        }
        guard open == 0 else { return nil }
        if b[start] == 0x2B { guard (8...15).contains(digits) else { return nil } }
        return start..<hi
    }

    /// From a `+`, the end of the longest run of digits, single separators
    /// (space, `.`, `-`) and parenthesised groups.
    static func extendInternational(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var i = start + 1
        var end = i
        while i < b.count {
            let c = b[i]
            if ByteClass.isDigit(c) { i += 1; end = i; continue }
            if c == 0x29, i > start + 1, ByteClass.isDigit(b[i - 1]) { i += 1; end = i; continue }
            if c == 0x20 || c == 0x2E || c == 0x2D || c == 0x28 {
                guard let n = b.byte(at: i + 1), ByteClass.isDigit(n) || (n == 0x28 && c != 0x28) else { break }
                i += 1
                continue
            }
            break
        }
        return end
    }
}
