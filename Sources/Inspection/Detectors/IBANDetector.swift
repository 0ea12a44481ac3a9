/// International Bank Account Numbers, compact (`DE89370400440532013000`)
/// or printed in groups of four (`DE89 3704 0044 0532 0130 00`).
///
/// Validation: the country code must be in the registry table below and the
/// BBAN length must match it exactly; check digits 02–98; the ISO 7064
/// mod-97 remainder must be 1; clean token edges. The validator re-anchors
/// from the country code, so candidates of several lengths collapse to one.
enum IBANDetector {
    static let patterns = [
        #"\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b"#,
        #"\b[A-Z]{2}[0-9]{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?\b"#,
    ]

    /// IBAN length per country (SWIFT IBAN registry).
    static let lengths: [UInt16: Int] = {
        let table: [(String, Int)] = [
            ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16), ("BG", 22),
            ("BH", 22), ("BI", 27), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22), ("CY", 28), ("CZ", 24),
            ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("EE", 20), ("EG", 29), ("ES", 24), ("FI", 18),
            ("FK", 18), ("FO", 18), ("FR", 27), ("GB", 22), ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27),
            ("GT", 28), ("HR", 21), ("HU", 28), ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26), ("IT", 27),
            ("JO", 30), ("KW", 30), ("KZ", 20), ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20), ("LU", 20),
            ("LV", 21), ("LY", 25), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MN", 20), ("MR", 27),
            ("MT", 31), ("MU", 30), ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23), ("PK", 24), ("PL", 28),
            ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("RU", 33), ("SA", 24), ("SC", 31),
            ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27), ("SO", 23), ("ST", 25), ("SV", 28),
            ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29), ("VA", 22), ("VG", 24), ("XK", 20), ("YE", 30),
        ]
        var d: [UInt16: Int] = [:]
        for (code, n) in table {
            let u = Array(code.utf8)
            d[UInt16(u[0]) << 8 | UInt16(u[1])] = n
        }
        return d
    }()

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        guard let length = lengths[UInt16(b[start]) << 8 | UInt16(b[start + 1])] else { return nil }
        if let p = b.byte(at: start - 1), ByteClass.isWord(p) { return nil }
        // Collect exactly `length` characters, allowing single spaces between groups.
        var n = 0
        var i = start
        while i < b.count, n < length {
            let c = b[i]
            if ByteClass.isDigit(c) || ByteClass.isUpper(c) { n += 1; i += 1; continue }
            if c == 0x20, n > 0, n % 4 == 0, let next = b.byte(at: i + 1), ByteClass.isAlnum(next) { i += 1; continue }
            break
        }
        guard n == length, !(b.byte(at: i).map(ByteClass.isWord) ?? false) else { return nil }
        let check = ByteClass.digitValue(b[start + 2]) * 10 + ByteClass.digitValue(b[start + 3])
        guard (2...98).contains(check), mod97(b, start..<i) == 1 else { return nil }
        return start..<i
    }

    /// ISO 7064 MOD 97-10 over the IBAN rearranged (first four characters
    /// moved to the end, letters as 10–35), skipping spaces.
    static func mod97(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int {
        var rem = 0
        func feed(_ c: UInt8) {
            if ByteClass.isDigit(c) { rem = (rem * 10 + ByteClass.digitValue(c)) % 97 }
            else if ByteClass.isUpper(c) { rem = (rem * 100 + Int(c - 0x41) + 10) % 97 }
        }
        for i in (r.lowerBound + 4)..<r.upperBound { feed(b[i]) }
        for i in r.lowerBound..<(r.lowerBound + 4) { feed(b[i]) }
        return rem
    }
}
