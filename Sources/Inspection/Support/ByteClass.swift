/// ASCII byte classification used by validators. Branch-light, no String
/// work: validators run on raw bytes in the hot path.
enum ByteClass {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    /// Letters, digits and `_`: what `\w` means in ASCII.
    @inline(__always) static func isWord(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x5F }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
    }
    /// Standard and URL-safe base64 alphabet (without padding).
    @inline(__always) static func isBase64(_ b: UInt8) -> Bool {
        isAlnum(b) || b == 0x2B || b == 0x2F || b == 0x2D || b == 0x5F
    }
    @inline(__always) static func digitValue(_ b: UInt8) -> Int { Int(b &- 0x30) }
    @inline(__always) static func hexValue(_ b: UInt8) -> Int {
        isDigit(b) ? Int(b &- 0x30) : Int((b | 0x20) &- 0x61) + 10
    }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }
}

/// Small helpers over a scanned buffer, bounds-checked so validators can
/// ask about the byte before a match start or after its end freely.
extension UnsafeRawBufferPointer {
    /// The byte at `i`, or nil outside the buffer.
    @inline(__always) func byte(at i: Int) -> UInt8? { i >= 0 && i < count ? self[i] : nil }

    /// True if bytes at `i` equal `literal` (ASCII), case-insensitively when asked.
    func hasPrefix(_ literal: StaticString, at i: Int, caseInsensitive: Bool = false) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= count else { return false }
        let p = literal.utf8Start
        for k in 0..<n {
            let a = self[i + k], b = p[k]
            if caseInsensitive ? ByteClass.lower(a) != ByteClass.lower(b) : a != b { return false }
        }
        return true
    }

    /// Index of the first occurrence of `literal` in `range`, if any.
    func firstIndex(of literal: StaticString, in range: Range<Int>, caseInsensitive: Bool = false) -> Int? {
        let n = literal.utf8CodeUnitCount
        let lo = Swift.max(range.lowerBound, 0), hi = Swift.min(range.upperBound, count) - n
        guard lo <= hi else { return nil }
        for i in lo...hi where hasPrefix(literal, at: i, caseInsensitive: caseInsensitive) { return i }
        return nil
    }
}
