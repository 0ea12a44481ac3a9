/// Strict UTF-8 well-formedness over a byte range (Unicode Table 3-7), for
/// validators that accept non-ASCII text (IDN emails).
enum UTF8Check {
    static func isWellFormed(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound {
            guard let n = sequenceLength(b, i, limit: r.upperBound) else { return false }
            i += n
        }
        return true
    }

    /// Length of the well-formed sequence at `i`, or nil.
    static func sequenceLength(_ b: UnsafeRawBufferPointer, _ i: Int, limit: Int) -> Int? {
        let lead = b[i]
        var second: ClosedRange<UInt8> = 0x80...0xBF
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; second = 0x80...0x8F
        default: return nil
        }
        guard i + length <= limit, second.contains(b[i + 1]) else { return nil }
        for k in 2..<length where (b[i + k] & 0xC0) != 0x80 { return nil }
        return length
    }
}
