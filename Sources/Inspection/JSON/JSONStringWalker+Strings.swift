internal import CByteScan

extension JSONStringWalker {
    /// The first offset at or after `start` holding `"`, `\`, a control
    /// character or a non-ASCII byte (or `n`). Sixteen bytes at a time
    /// (`gh_string_stops16`): string content is most of a JSON body's bytes.
    @inline(__always)
    static func skipPlain(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
        // Offsets stay below `n` (< Int32.max, checked by `walk`): wrapping arithmetic.
        var i = start
        while i &+ 16 <= n {
            let stops = gh_string_stops16(p + i)
            if stops != 0 { return i &+ stops.trailingZeroBitCount }
            i &+= 16
        }
        while i < n {
            let c = p[i]
            if c < 0x20 || c >= 0x80 || c == 0x22 || c == 0x5C { return i }
            i &+= 1
        }
        return n
    }

    /// Validates one unescaped character at `i`, returning the next offset.
    static func character(_ raw: UnsafeRawBufferPointer, _ i: Int) throws(InspectionError) -> Int {
        let c = raw[i]
        if c >= 0x20 && c < 0x80 { return i + 1 }
        if c < 0x20 { throw .malformedJSON(offset: i, reason: "unescaped control character in string") }
        guard let n = UTF8Check.sequenceLength(raw, i, limit: raw.count) else {
            throw .malformedJSON(offset: i, reason: "invalid UTF-8 in string")
        }
        return i + n
    }

    /// The escape at `i` (on the backslash): the Unicode scalar it stands
    /// for (a surrogate pair is one scalar) and the offset after it. The walk
    /// uses it to validate, `decode` and `JSONUnescape` to decode.
    static func escape(_ raw: UnsafeRawBufferPointer, _ i: Int) throws(InspectionError) -> (scalar: UInt32, next: Int) {
        guard i + 1 < raw.count else { throw .malformedJSON(offset: i, reason: "unterminated string") }
        switch raw[i + 1] {
        case UInt8(ascii: "\""): return (0x22, i + 2)
        case UInt8(ascii: "\\"): return (0x5C, i + 2)
        case UInt8(ascii: "/"): return (0x2F, i + 2)
        case UInt8(ascii: "b"): return (0x08, i + 2)
        case UInt8(ascii: "f"): return (0x0C, i + 2)
        case UInt8(ascii: "n"): return (0x0A, i + 2)
        case UInt8(ascii: "r"): return (0x0D, i + 2)
        case UInt8(ascii: "t"): return (0x09, i + 2)
        case UInt8(ascii: "u"):
            let scalar = try hex4(raw, i + 2)
            if (0xD800...0xDBFF).contains(scalar) {
                guard raw.hasPrefix("\\u", at: i + 6) else { throw .malformedJSON(offset: i, reason: "lone surrogate") }
                let low = try hex4(raw, i + 8)
                guard (0xDC00...0xDFFF).contains(low) else { throw .malformedJSON(offset: i, reason: "lone surrogate") }
                return (0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00), i + 12)
            }
            if (0xDC00...0xDFFF).contains(scalar) { throw .malformedJSON(offset: i, reason: "lone surrogate") }
            return (scalar, i + 6)
        default:
            throw .malformedJSON(offset: i, reason: "invalid escape")
        }
    }

    static func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) throws(InspectionError) -> UInt32 {
        guard at + 4 <= raw.count else { throw .malformedJSON(offset: at, reason: "invalid \\u escape") }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            guard ByteClass.isHex(raw[k]) else { throw .malformedJSON(offset: at, reason: "invalid \\u escape") }
            v = v << 4 | UInt32(ByteClass.hexValue(raw[k]))
        }
        return v
    }

    /// Calls `put` with the UTF-8 bytes of `s`.
    @inline(__always)
    static func utf8(_ s: UInt32, _ put: (UInt8) -> Void) {
        func b(_ v: UInt32) { put(UInt8(truncatingIfNeeded: v)) }
        switch s {
        case 0..<0x80: b(s)
        case 0x80..<0x800: b(0xC0 | s >> 6); b(0x80 | s & 0x3F)
        case 0x800..<0x10000: b(0xE0 | s >> 12); b(0x80 | s >> 6 & 0x3F); b(0x80 | s & 0x3F)
        default: b(0xF0 | s >> 18); b(0x80 | s >> 12 & 0x3F); b(0x80 | s >> 6 & 0x3F); b(0x80 | s & 0x3F)
        }
    }
}
