/// Payment card numbers (PAN).
///
/// Candidates: 13–19 contiguous digits, or groups 4-4-4-4(-1..3) and 4-6-4/5
/// separated consistently by single spaces or dashes.
/// Validation: not glued to letters, digits, `-` or `.`-digit on either side;
/// separators consistent; Luhn checksum; the IIN (prefix) and length must
/// belong to a known network: Visa 4 (13/16/19), Mastercard 51–55 and
/// 2221–2720 (16), Amex 34/37 (15), Discover 6011, 644–649, 65, 622126–622925
/// (16–19), JCB 3528–3589 (16–19), Diners 300–305, 36, 38, 39 (14–19),
/// UnionPay 62 (16–19; Luhn is required here too, to keep false positives low).
enum CreditCardDetector {
    static let patterns = [
        #"\b[0-9]{13,19}\b"#,
        #"\b[0-9]{4}(?: [0-9]{4}){3}(?: [0-9]{1,3})?\b"#,
        #"\b[0-9]{4}(?:-[0-9]{4}){3}(?:-[0-9]{1,3})?\b"#,
        #"\b[0-9]{4} [0-9]{6} [0-9]{4,5}\b"#,
        #"\b[0-9]{4}-[0-9]{6}-[0-9]{4,5}\b"#,
    ]

    static func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        guard Boundary.isNumericTokenEdge(b, start: start, end: end) else { return nil }
        // One pass from the right: the digits, the separators (all the
        // same), and Luhn (mod 10: every second digit from the right doubled).
        // Offsets lie inside the buffer, counts below 20: wrapping arithmetic.
        var count = 0
        var separator: UInt8 = 0
        var sum = 0
        var i = end
        while i > start {
            i &-= 1
            let c = b[i]
            if ByteClass.isDigit(c) {
                var v = ByteClass.digitValue(c)
                if count & 1 == 1 { v &*= 2; if v > 9 { v &-= 9 } }
                sum &+= v
                count &+= 1
            } else if separator == 0 {
                separator = c
            } else if c != separator {
                return nil
            }
        }
        guard count >= 13, count <= 19 else { return nil }
        // The first six digits, as a number, for the network.
        var leading = 0, taken = 0, k = start
        while taken < 6 {
            let c = b[k]
            if ByteClass.isDigit(c) { leading = leading &* 10 &+ ByteClass.digitValue(c); taken &+= 1 }
            k &+= 1
        }
        guard network(leading: leading, length: count) != nil else { return nil }
        return sum % 10 == 0 ? start..<end : nil
    }

    enum Network: String { case visa, mastercard, amex, discover, jcb, diners, unionpay }

    /// The card network for the first six digits and the total length.
    static func network(leading p6: Int, length len: Int) -> Network? {
        let p2 = p6 / 10_000, p3 = p6 / 1_000, p4 = p6 / 100
        if p6 / 100_000 == 4 { return [13, 16, 19].contains(len) ? .visa : nil }
        if (51...55).contains(p2) || (2221...2720).contains(p4) { return len == 16 ? .mastercard : nil }
        if p2 == 34 || p2 == 37 { return len == 15 ? .amex : nil }
        if p4 == 6011 || (644...649).contains(p3) || p2 == 65 || (622126...622925).contains(p6) {
            return (16...19).contains(len) ? .discover : nil
        }
        if (3528...3589).contains(p4) { return (16...19).contains(len) ? .jcb : nil }
        if (300...305).contains(p3) || p2 == 36 || p2 == 38 || p2 == 39 {
            return (14...19).contains(len) ? .diners : nil
        }
        if p2 == 62 { return (16...19).contains(len) ? .unionpay : nil }
        return nil
    }
}
