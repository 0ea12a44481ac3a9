import GatehouseCore

/// The small JSON documents stored in text columns: header lists as
/// `[["Name","value"],…]` (order and duplicates kept) and string arrays.
enum JSONFragments {
    static func headers(_ headers: [HeaderField]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, h) in headers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            JSONOutput.appendString(h.name, to: &out)
            out.append(UInt8(ascii: ","))
            JSONOutput.appendString(h.value, to: &out)
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func strings(_ values: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONOutput.appendString(v, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `[["Name","value"],…]` for `headers` into `out`, with each
    /// credential value redacted by `redactor`. Same bytes as
    /// `headers(redactor.redact(headers))`, without the intermediate arrays
    /// and strings.
    static func appendHeaders(_ headers: HeaderList, redactor: HeaderRedactor, to out: ScratchBuffer) {
        out.append(UInt8(ascii: "["))
        var first = true
        headers.forEach { name, value in
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "["))
            appendText(name, to: out)
            out.append(UInt8(ascii: ","))
            if let redacted = redactor.redactedValue(name: name, value: { String(decoding: value, as: UTF8.self) }) {
                appendString(redacted, to: out)
            } else {
                appendText(value, to: out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Bytes as received, as a JSON string: ASCII (nearly every header) as
    /// it is; anything else through `String(decoding:)`, so bytes that are
    /// not UTF-8 become U+FFFD and the document stays valid JSON.
    static func appendText(_ p: UnsafeRawBufferPointer, to out: ScratchBuffer) {
        if isASCII(p) { appendString(bytes: p, to: out) } else { appendString(String(decoding: p, as: UTF8.self), to: out) }
    }

    /// Writes `["a","b",…]` into `out`.
    static func appendStrings(_ values: [String], to out: ScratchBuffer) {
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(v, to: out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Writes decisions as `[["stage","rule"|null,"action",["detector",…],0|1],…]`
    /// (schema v3's `decisions_json`; the `decisions` view reads the five
    /// positions back as columns).
    static func appendDecisions(_ decisions: [RecordedDecision], to out: ScratchBuffer) {
        out.append(UInt8(ascii: "["))
        for (i, d) in decisions.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            appendString(d.stage, to: out)
            out.append(UInt8(ascii: ","))
            if let rule = d.ruleID { appendString(rule, to: out) } else { appendLiteral("null", to: out) }
            out.append(UInt8(ascii: ","))
            appendString(d.action, to: out)
            out.append(UInt8(ascii: ","))
            appendStrings(d.detectors, to: out)
            out.append(UInt8(ascii: ","))
            out.append(d.dryRun ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func appendLiteral(_ s: StaticString, to out: ScratchBuffer) {
        out.append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// `"…"` escaped exactly as `JSONOutput.appendString` escapes it (a
    /// Swift string is valid UTF-8, so bytes from 0x80 up are copied),
    /// written straight into the buffer, eight plain bytes at a time.
    static func appendString(_ s: String, to out: ScratchBuffer) {
        var s = s
        s.withUTF8 { appendString(bytes: UnsafeRawBufferPointer($0), to: out) }
    }

    /// Appends `p`, which must be valid UTF-8, as a JSON string (quoted,
    /// escaped). Bytes at or above 0x80 are copied as they are.
    static func appendString(bytes p: UnsafeRawBufferPointer, to out: ScratchBuffer) {
        do {
            let p = p.assumingMemoryBound(to: UInt8.self)
            let n = p.count
            // Worst case: every byte written as `\u00XX`, plus the quotes and
            // the spare bytes of the last eight-byte store.
            out.appendUnsafe(maxCount: n &* 6 &+ 10) { dst in
                dst[0] = UInt8(ascii: "\"")
                var o = 1
                var i = 0
                if let src = p.baseAddress {
                    while i < n {
                        // Eight plain bytes at a time (most header text needs
                        // no escape); a last run shorter than eight is padded
                        // with spaces, and only its own bytes are counted.
                        let left = n &- i
                        var w: UInt64
                        if left >= 8 {
                            w = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                        } else if n >= 8 {
                            // The last 1–7 bytes of a longer string: load
                            // the string's last eight bytes and shift the
                            // ones already written out, spaces above.
                            let tail = UnsafeRawPointer(src + (n &- 8)).loadUnaligned(as: UInt64.self)
                            let drop = UInt64(truncatingIfNeeded: (8 &- left) &* 8)
                            w = (tail &>> drop) | (0x2020_2020_2020_2020 &<< (64 &- drop))
                        } else {
                            // A string shorter than eight bytes, above a
                            // padding of spaces (no call to memcpy).
                            w = 0x2020_2020_2020_2020
                            var k = left
                            while k > 0 {
                                k &-= 1
                                let shift = UInt64(truncatingIfNeeded: k &* 8)
                                w = (w & ~(0xFF &<< shift)) | (UInt64(src[i &+ k]) &<< shift)
                            }
                        }
                        let m = escapeMask(w)
                        if m == 0 {
                            UnsafeMutableRawPointer(dst + o).storeBytes(of: w, as: UInt64.self)
                            let step = min(left, 8)
                            i &+= step
                            o &+= step
                            continue
                        }
                        // The lowest flagged byte is exactly the first to
                        // escape: the bytes before it go out with this
                        // store, the rest are looked at again next round.
                        // (Padding spaces never flag.)
                        let k = m.trailingZeroBitCount &>> 3
                        UnsafeMutableRawPointer(dst + o).storeBytes(of: w, as: UInt64.self)
                        o &+= k
                        i &+= k
                        let b = src[i]
                        i &+= 1
                        dst[o] = 0x5C
                        switch b {
                        case 0x22: dst[o &+ 1] = 0x22; o &+= 2
                        case 0x5C: dst[o &+ 1] = 0x5C; o &+= 2
                        case 0x0A: dst[o &+ 1] = UInt8(ascii: "n"); o &+= 2
                        case 0x0D: dst[o &+ 1] = UInt8(ascii: "r"); o &+= 2
                        case 0x09: dst[o &+ 1] = UInt8(ascii: "t"); o &+= 2
                        default:
                            dst[o &+ 1] = UInt8(ascii: "u"); dst[o &+ 2] = UInt8(ascii: "0"); dst[o &+ 3] = UInt8(ascii: "0")
                            dst[o &+ 4] = hexDigit(b >> 4); dst[o &+ 5] = hexDigit(b & 0xF)
                            o &+= 6
                        }
                    }
                }
                dst[o] = UInt8(ascii: "\"")
                return o + 1
            }
        }
    }

    /// True when no byte has its high bit set; eight bytes per step.
    static func isASCII(_ p: UnsafeRawBufferPointer) -> Bool {
        guard let base = p.baseAddress else { return true }
        var i = 0
        var bits: UInt64 = 0
        while i &+ 8 <= p.count {
            bits |= (base + i).loadUnaligned(as: UInt64.self)
            i &+= 8
        }
        while i < p.count {
            bits |= UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            i &+= 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// A mask with the high bit set in each byte of `w` that may need an
    /// escape: a control byte (< 0x20), `"`, `\\` or DEL. Zero exactly when
    /// none does. Its lowest set bit is exact (the classic "has a byte less
    /// than n" trick per 64-bit word: a borrow can only flag bytes above a
    /// true one), so `trailingZeroBitCount / 8` is the first byte to escape.
    @inline(__always)
    static func escapeMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let control = (w &- 0x20 &* ones) & ~w & highs
        return control | zeroBytes(w ^ (0x22 &* ones)) | zeroBytes(w ^ (0x5C &* ones)) | zeroBytes(w ^ (0x7F &* ones))
    }

    @inline(__always)
    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
}
