extension JSONStringWalker {
    /// The first offset at or after `start` holding `"`, `\`, a control
    /// character or a non-ASCII byte (or `raw.count`). Eight bytes at a time
    /// (SWAR): string content is most of a JSON body's bytes.
    @inline(__always)
    static func skipPlain(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int {
        let n = raw.count
        var i = start
        guard let p = raw.baseAddress else { return n }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let x = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let q = x ^ (ones &* 0x22), b = x ^ (ones &* 0x5C)
            let special = (x | ((x &- ones &* 0x20) & ~x) | ((q &- ones) & ~q) | ((b &- ones) & ~b)) & highs
            if special != 0 { return i + special.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < n {
            let c = raw[i]
            if c < 0x20 || c >= 0x80 || c == 0x22 || c == 0x5C { return i }
            i += 1
        }
        return n
    }


    /// Parses the string whose opening quote is at `q`, calls `visit` with
    /// its decoded bytes, and returns the offset after the closing quote.
    /// Strings without escapes are passed as a view of `raw` (no copy).
    mutating func string(_ raw: UnsafeRawBufferPointer, _ q: Int, isKey: Bool,
                         _ visit: (StringRef, [Frame]) throws(InspectionError) -> Void) throws(InspectionError) -> Int {
        let contentStart = q + 1
        var i = contentStart
        let n = raw.count
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .malformedJSON(offset: q, reason: "unterminated string")
        }
        while i < n {
            // Hot loop: skip printable ASCII other than `"` and `\` without bounds checks.
            i = Self.skipPlain(raw, from: i)
            guard i < n else { break }
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                let content = contentStart..<i
                try visit(StringRef(decoded: UnsafeRawBufferPointer(rebasing: raw[content]),
                                    origin: UnsafeBufferPointer(start: nil, count: 0),
                                    rawContent: content, isKey: isKey, container: currentContainer), frames)
                return i + 1
            }
            if c == UInt8(ascii: "\\") { break }
            i = try character(raw, i)
        }
        guard i < raw.count else { throw .malformedJSON(offset: q, reason: "unterminated string") }
        // Slow path: decode into `decoded`, recording where each byte came from.
        decoded.removeAll(keepingCapacity: true)
        origin.removeAll(keepingCapacity: true)
        appendVerbatim(base, contentStart..<i)
        while i < raw.count {
            let c = raw[i]
            if c == UInt8(ascii: "\"") {
                origin.append(Int32(i))
                let content = contentStart..<i
                let d = decoded, o = origin, f = frames, c = currentContainer
                var failure: InspectionError?
                d.withUnsafeBytes { db in
                    o.withUnsafeBufferPointer { ob in
                        do throws(InspectionError) {
                            try visit(StringRef(decoded: db, origin: ob, rawContent: content, isKey: isKey, container: c), f)
                        } catch {
                            failure = error
                        }
                    }
                }
                if let failure { throw failure }
                return i + 1
            }
            if c == UInt8(ascii: "\\") {
                i = try escape(raw, i)
            } else if case let plain = Self.skipPlain(raw, from: i), plain > i {
                appendVerbatim(base, i..<plain)  // printable ASCII up to the next quote, escape or other byte
                i = plain
            } else {
                let next = try character(raw, i)
                for k in i..<next {
                    decoded.append(raw[k])
                    origin.append(Int32(i))
                }
                i = next
            }
        }
        throw .malformedJSON(offset: q, reason: "unterminated string")
    }

    /// Appends the raw bytes `r` to `decoded` as they are, each with its own offset.
    @inline(__always)
    mutating func appendVerbatim(_ base: UnsafePointer<UInt8>, _ r: Range<Int>) {
        decoded.append(contentsOf: UnsafeBufferPointer(start: base + r.lowerBound, count: r.count))
        for k in r { origin.append(Int32(truncatingIfNeeded: k)) }
    }

    /// Validates one unescaped character at `i`, returning the next offset.
    func character(_ raw: UnsafeRawBufferPointer, _ i: Int) throws(InspectionError) -> Int {
        let c = raw[i]
        if c >= 0x20 && c < 0x80 { return i + 1 }
        if c < 0x20 { throw .malformedJSON(offset: i, reason: "unescaped control character in string") }
        guard let n = UTF8Check.sequenceLength(raw, i, limit: raw.count) else {
            throw .malformedJSON(offset: i, reason: "invalid UTF-8 in string")
        }
        return i + n
    }

    /// Decodes the escape at `i` (on the backslash) into `decoded`.
    mutating func escape(_ raw: UnsafeRawBufferPointer, _ i: Int) throws(InspectionError) -> Int {
        guard i + 1 < raw.count else { throw .malformedJSON(offset: i, reason: "unterminated string") }
        let simple: UInt8
        switch raw[i + 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            var scalar = try hex4(raw, i + 2)
            var next = i + 6
            if (0xD800...0xDBFF).contains(scalar) {
                guard raw.hasPrefix("\\u", at: next) else { throw .malformedJSON(offset: i, reason: "lone surrogate") }
                let low = try hex4(raw, next + 2)
                guard (0xDC00...0xDFFF).contains(low) else { throw .malformedJSON(offset: i, reason: "lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                next += 6
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw .malformedJSON(offset: i, reason: "lone surrogate")
            }
            appendUTF8(scalar, from: i)
            return next
        default:
            throw .malformedJSON(offset: i, reason: "invalid escape")
        }
        decoded.append(simple)
        origin.append(Int32(i))
        return i + 2
    }

    func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) throws(InspectionError) -> UInt32 {
        guard at + 4 <= raw.count else { throw .malformedJSON(offset: at, reason: "invalid \\u escape") }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            guard ByteClass.isHex(raw[k]) else { throw .malformedJSON(offset: at, reason: "invalid \\u escape") }
            v = v << 4 | UInt32(ByteClass.hexValue(raw[k]))
        }
        return v
    }

    mutating func appendUTF8(_ s: UInt32, from rawOffset: Int) {
        let o = Int32(rawOffset)
        func put(_ b: UInt32) { decoded.append(UInt8(truncatingIfNeeded: b)); origin.append(o) }
        switch s {
        case 0..<0x80: put(s)
        case 0x80..<0x800: put(0xC0 | s >> 6); put(0x80 | s & 0x3F)
        case 0x800..<0x10000: put(0xE0 | s >> 12); put(0x80 | s >> 6 & 0x3F); put(0x80 | s & 0x3F)
        default: put(0xF0 | s >> 18); put(0x80 | s >> 12 & 0x3F); put(0x80 | s >> 6 & 0x3F); put(0x80 | s & 0x3F)
        }
    }
}
