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
    static func appendHeaders(_ headers: [HeaderField], redactor: HeaderRedactor, to out: ScratchBuffer) {
        out.append(UInt8(ascii: "["))
        for (i, h) in headers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            appendString(h.name, to: out)
            out.append(UInt8(ascii: ","))
            appendString(redactor.redactedValue(h) ?? h.value, to: out)
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
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
    /// Swift string is valid UTF-8, so bytes from 0x80 up are copied), but
    /// copying runs of plain bytes at once.
    static func appendString(_ s: String, to out: ScratchBuffer) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { p in
            var runStart = 0
            var i = 0
            let n = p.count
            while i < n {
                let b = p[i]
                if (b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F) { i += 1; continue }
                if i > runStart { out.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[runStart..<i])) }
                out.append(0x5C)
                switch b {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    out.append(UInt8(ascii: "u")); out.append(UInt8(ascii: "0")); out.append(UInt8(ascii: "0"))
                    out.append(hexDigit(b >> 4)); out.append(hexDigit(b & 0xF))
                }
                i += 1
                runStart = i
            }
            if n > runStart { out.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[runStart..<n])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
}
