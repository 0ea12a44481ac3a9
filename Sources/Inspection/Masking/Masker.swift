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
        var out: [UInt8] = []
        return maskJSON(raw, findings, plan, strategy: plan.strategy(for:), into: &out) ? out : nil
    }

    /// `maskJSON` appending the masked body to `out` (which may hold other
    /// bytes already); returns false, appending nothing, when no finding
    /// has a strategy in `plan`. For callers that mask many bodies with one
    /// plan (response masking): no intermediate array per body, strategies
    /// of built-in detectors looked up in a table, and `redact`
    /// replacements of built-in detectors copied from a table instead of
    /// being built per finding.
    public static func maskJSON(_ raw: UnsafeRawBufferPointer, findings: [Finding], plan: PreparedMaskPlan,
                                into out: inout [UInt8]) -> Bool {
        maskJSON(raw, findings, plan.plan, strategy: plan.strategy(for:), into: &out)
    }

    @inline(__always)
    static func maskJSON(_ raw: UnsafeRawBufferPointer, _ findings: [Finding], _ plan: MaskPlan,
                         strategy: (FindingKind) -> MaskStrategy?, into out: inout [UInt8]) -> Bool {
        if findings.isEmpty { return false }
        // Scans return findings in this order already: then no sorted copy.
        let sorted = inOrder(findings) ? findings : findings.sorted(by: before)
        // Starts of JSON numbers: a span starting at one is replaced by a
        // JSON string (quotes added). Usually none.
        // Findings are read field by field in place here and below: a copy
        // of a whole finding (`for f in`, `let f = sorted[k]`) copied its kind.
        var numberStarts: [Int] = []
        for k in sorted.indices where sorted[k].inJSONNumber { numberStarts.append(sorted[k].range.lowerBound) }
        var started = false
        var at = 0
        // The span being merged: its range and its first finding (label and strategy).
        var current: (range: Range<Int>, finding: Int, strategy: MaskStrategy)?
        func flush(_ span: (range: Range<Int>, finding: Int, strategy: MaskStrategy), _ out: inout [UInt8]) {
            if !started {
                started = true
                out.reserveCapacity(out.count + raw.count + 32 * sorted.count)
            }
            copy(raw, at..<span.range.lowerBound, to: &out)
            let quote = !numberStarts.isEmpty && numberStarts.contains(span.range.lowerBound)
            if quote { out.append(UInt8(ascii: "\"")) }
            if case .redact = span.strategy {
                PreparedMaskPlan.appendJSONRedaction(sorted[span.finding].kind, to: &out)
            } else {
                JSONEscape.append(plan.replacement(for: sorted[span.finding].kind, value: JSONUnescape.decode(raw, span.range),
                                                   strategy: span.strategy),
                                  to: &out)
            }
            if quote { out.append(UInt8(ascii: "\"")) }
            at = span.range.upperBound
        }
        for k in sorted.indices {
            // Findings without a strategy are left alone (and do not widen a span).
            guard let s = strategy(sorted[k].kind) else { continue }
            let range = sorted[k].range
            if let c = current, range.lowerBound < c.range.upperBound {
                current!.range = c.range.lowerBound..<Swift.max(c.range.upperBound, range.upperBound)
                continue
            }
            if let c = current { flush(c, &out) }
            current = (range, k, s)
        }
        guard let last = current else { return false }
        flush(last, &out)
        copy(raw, at..<raw.count, to: &out)
        return true
    }

    /// Masks a form body or query string whose findings came from
    /// `Inspector.scanForm`: values are percent-decoded for `partial`/`hash`
    /// and replacements percent-encoded, so the body still parses.
    public static func maskForm(_ raw: UnsafeRawBufferPointer, findings: [Finding], plan: MaskPlan) -> [UInt8]? {
        apply(raw, findings, plan) { _, replacement, out in FormFieldWalker.encode(replacement, to: &out) } value: { r in
            FormFieldWalker.decode(raw, r)
        }
    }

    /// Start ascending, then end descending: the order scans return.
    @Sendable static func before(_ a: Finding, _ b: Finding) -> Bool {
        a.range.lowerBound < b.range.lowerBound || (a.range.lowerBound == b.range.lowerBound && a.range.upperBound > b.range.upperBound)
    }

    static func inOrder(_ findings: [Finding]) -> Bool {
        var k = 1
        while k < findings.count {
            if before(findings[k], findings[k - 1]) { return false }
            k += 1
        }
        return true
    }

    static func apply(_ raw: UnsafeRawBufferPointer, _ findings: [Finding], _ plan: MaskPlan,
                      emit: (Range<Int>, [UInt8], inout [UInt8]) -> Void,
                      value: (Range<Int>) -> [UInt8]) -> [UInt8]? {
        var spans: [(range: Range<Int>, kind: FindingKind, strategy: MaskStrategy)] = []
        spans.reserveCapacity(findings.count)
        for f in inOrder(findings) ? findings : findings.sorted(by: before) {
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

    /// Whether `b` must be escaped inside a JSON string.
    @inline(__always) static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C }

    static func append(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        // Replacements are mostly printable ASCII (`[REDACTED:email]`): copied whole.
        if !bytes.contains(where: needsEscape) {
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
