/// Applies a `MaskPlan` to a buffer and its findings, producing the masked
/// bytes. Overlapping findings are merged into one masked span, labelled by
/// the earliest (longest) finding. Returns nil when nothing was masked, so
/// callers can keep the original body (and its ETag / Content-Length).
public enum Masker {
    /// Masks plain bytes (text, form bodies, headers): replacements are inserted as is.
    public static func maskText(_ raw: UnsafeRawBufferPointer, findings: [Finding], plan: MaskPlan) -> [UInt8]? {
        apply(raw, findings, plan) { _, replacement, out in out.append(contentsOf: replacement) } value: { r in
            Array(raw[r])
        }
    }

    /// Masks a JSON body whose findings came from `Inspector.scanJSON`.
    /// Each finding's raw range lies inside one string and covers whole
    /// escape units; the value is decoded for `partial`/`hash`, and the
    /// replacement is JSON-escaped, so the body stays valid JSON.
    /// A finding in a JSON number (`"amount": 4111111111111111`) replaces
    /// the whole number with a JSON string.
    public static func maskJSON(_ raw: UnsafeRawBufferPointer, findings: [Finding], plan: MaskPlan) -> [UInt8]? {
        let numbers = findings.contains(where: \.inJSONNumber) ? Set(findings.filter(\.inJSONNumber).map(\.range.lowerBound)) : []
        return apply(raw, findings, plan) { range, replacement, out in
            let quote = numbers.contains(range.lowerBound)
            if quote { out.append(UInt8(ascii: "\"")) }
            JSONEscape.append(replacement, to: &out)
            if quote { out.append(UInt8(ascii: "\"")) }
        } value: { r in
            JSONUnescape.decode(raw, r)
        }
    }

    /// Masks a form body or query string whose findings came from
    /// `Inspector.scanForm`: values are percent-decoded for `partial`/`hash`
    /// and replacements percent-encoded, so the body still parses.
    public static func maskForm(_ raw: UnsafeRawBufferPointer, findings: [Finding], plan: MaskPlan) -> [UInt8]? {
        apply(raw, findings, plan) { _, replacement, out in FormFieldWalker.encode(replacement, to: &out) } value: { r in
            FormFieldWalker.decode(raw, r)
        }
    }

    static func apply(_ raw: UnsafeRawBufferPointer, _ findings: [Finding], _ plan: MaskPlan,
                      emit: (Range<Int>, [UInt8], inout [UInt8]) -> Void,
                      value: (Range<Int>) -> [UInt8]) -> [UInt8]? {
        let before: (Finding, Finding) -> Bool = {
            $0.range.lowerBound < $1.range.lowerBound || ($0.range.lowerBound == $1.range.lowerBound && $0.range.upperBound > $1.range.upperBound)
        }
        // Scans return findings in this order already: then no sorted copy.
        let inOrder = zip(findings, findings.dropFirst()).allSatisfy { !before($1, $0) }
        var spans: [(range: Range<Int>, kind: FindingKind, strategy: MaskStrategy)] = []
        spans.reserveCapacity(findings.count)
        for f in inOrder ? findings : findings.sorted(by: before) {
            guard let s = plan.strategy(for: f.kind) else { continue }
            if let last = spans.last, f.range.lowerBound < last.range.upperBound {
                spans[spans.count - 1].range = last.range.lowerBound..<Swift.max(last.range.upperBound, f.range.upperBound)
            } else {
                spans.append((f.range, f.kind, s))
            }
        }
        if spans.isEmpty { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + 32 * spans.count)
        var at = 0
        for span in spans {
            copy(raw, at..<span.range.lowerBound, to: &out)
            let v = span.strategy.needsValue ? value(span.range) : []
            emit(span.range, plan.replacement(for: span.kind, value: v, strategy: span.strategy), &out)
            at = span.range.upperBound
        }
        copy(raw, at..<raw.count, to: &out)
        return out
    }

    /// Appends `raw[r]` with one memcpy (appending the slice itself copies byte by byte).
    @inline(__always)
    static func copy(_ raw: UnsafeRawBufferPointer, _ r: Range<Int>, to out: inout [UInt8]) {
        guard !r.isEmpty, let base = raw.baseAddress else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: (base + r.lowerBound).assumingMemoryBound(to: UInt8.self), count: r.count))
    }
}

/// JSON string escaping for replacement text: `"`, `\` and control
/// characters are escaped; UTF-8 passes through.
enum JSONEscape {
    static let hex = Array("0123456789abcdef".utf8)

    static func append(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        // Replacements are mostly printable ASCII (`[REDACTED:email]`): copied whole.
        if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(contentsOf: bytes)
            return
        }
        for b in bytes {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
    }
}
