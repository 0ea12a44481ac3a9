internal import CByteScan
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
        if !quote(p, asciiOnly: true, to: out) { appendString(String(decoding: p, as: UTF8.self), to: out) }
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
    /// written straight into the buffer.
    static func appendString(_ s: String, to out: ScratchBuffer) {
        var s = s
        s.withUTF8 { appendString(bytes: UnsafeRawBufferPointer($0), to: out) }
    }

    /// Appends `p`, which must be valid UTF-8, as a JSON string (quoted,
    /// escaped). Bytes at or above 0x80 are copied as they are.
    static func appendString(bytes p: UnsafeRawBufferPointer, to out: ScratchBuffer) {
        _ = quote(p, asciiOnly: false, to: out)
    }

    /// `gh_json_quote` (sixteen plain bytes per step) into `out`. With
    /// `asciiOnly`, returns false and appends nothing when `p` holds a byte
    /// at or above 0x80.
    private static func quote(_ p: UnsafeRawBufferPointer, asciiOnly: Bool, to out: ScratchBuffer) -> Bool {
        let n = p.count
        var ok = true
        out.appendUnsafe(maxCount: n &* 6 &+ 18) { dst in
            let src = p.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(dst)
            let written = gh_json_quote(dst, src, n, asciiOnly ? 1 : 0)
            if written < 0 { ok = false; return 0 }
            return written
        }
        return ok
    }
}
