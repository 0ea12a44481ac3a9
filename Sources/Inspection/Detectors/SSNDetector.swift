/// US Social Security numbers, written `AAA-GG-SSSS` or `AAA GG SSSS`.
/// Nine bare digits are not matched: too many order numbers look like that.
///
/// Validation (SSA rules): area 000, 666 and 900–999 never issued; group 00
/// and serial 0000 never issued; well-known invalid/advertising numbers
/// rejected (078-05-1120, 219-09-9999, 123-45-6789, 111-11-1111 style
/// repeated digits, 457-55-5462); separators consistent; token edges clean.
enum SSNDetector {
    static let patterns = [
        #"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b"#,
        #"\b[0-9]{3} [0-9]{2} [0-9]{4}\b"#,
    ]

    /// The well-known invalid numbers, as `AAAGGSSSS`. A switch, not a
    /// `Set`: hashing the number cost more than the rest of the validation.
    @inline(__always)
    static func isKnownInvalid(_ n: Int) -> Bool {
        switch n {
        case 78_05_1120, 219_09_9999, 123_45_6789, 457_55_5462: true
        default: false
        }
    }

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        guard end - start == 11, b[start + 3] == b[start + 6] else { return nil }
        guard Boundary.isNumericTokenEdge(b, start: start, end: end) else { return nil }
        // Eleven bytes inside the buffer, at most four digits a number:
        // wrapping arithmetic, inlined (the checked, outlined version cost
        // about a third of the validation).
        @inline(__always) func number(_ from: Int, _ n: Int) -> Int {
            var v = 0
            for i in from..<(from &+ n) { v = v &* 10 &+ ByteClass.digitValue(b[i]) }
            return v
        }
        let area = number(start, 3), group = number(start &+ 4, 2), serial = number(start &+ 7, 4)
        if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 { return nil }
        if isKnownInvalid(area &* 1_000_000 &+ group &* 10_000 &+ serial) { return nil }
        let first = b[start]
        var allSame = true
        for i in start..<end where ByteClass.isDigit(b[i]) && b[i] != first { allSame = false }
        return allSame ? nil : start..<end
    }
}
