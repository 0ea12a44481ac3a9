/// IPv4 addresses in dotted-quad form.
///
/// Validation: four octets 0–255 without leading zeros (`010.1.1.1` is
/// rejected: some parsers read it as octal); not part of a longer dotted
/// run (`1.2.3.4.5`, `v1.2.3.4`), not a version (`lib-1.2.3.4`,
/// `1.2.3.4-beta`), and not glued to letters or digits. Ranges
/// (`10.0.0.1-10.0.0.9`) report both ends.
enum IPv4Detector {
    static let patterns = [#"\b[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\b"#]

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        if let p = b.byte(at: start - 1) {
            if ByteClass.isWord(p) || p == 0x2E { return nil }
            // `lib-1.2.3.4` is a version; `10.0.0.1-10.0.0.9` a range.
            if p == 0x2D, let pp = b.byte(at: start - 2), !ByteClass.isDigit(pp) { return nil }
        }
        if let n = b.byte(at: end) {
            if ByteClass.isWord(n) { return nil }
            if n == 0x2E, let nn = b.byte(at: end + 1), ByteClass.isDigit(nn) { return nil }
            if n == 0x2D, let nn = b.byte(at: end + 1), ByteClass.isAlpha(nn) { return nil }  // 1.2.3.4-beta
        }
        return octets(b, start..<end) ? start..<end : nil
    }

    /// True if `r` is exactly four valid octets.
    static func octets(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        var parts = 0, value = 0, width = 0
        var leadingZero = false
        for i in r.lowerBound...r.upperBound {
            let c: UInt8 = i < r.upperBound ? b[i] : 0x2E
            if ByteClass.isDigit(c) {
                if width == 0 { leadingZero = c == 0x30 }
                value = value * 10 + ByteClass.digitValue(c)
                width += 1
                if width > 3 { return false }
            } else if c == 0x2E {
                guard width > 0, value <= 255, !(leadingZero && width > 1) else { return false }
                parts += 1
                value = 0; width = 0
            } else {
                return false
            }
        }
        return parts == 4
    }
}
