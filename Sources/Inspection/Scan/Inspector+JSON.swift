extension Inspector {
    /// Scans every string (values and member keys) and every number of a
    /// JSON body, strings *after* decoding escapes. Findings carry raw
    /// ranges (whole escape units; a whole number token for numbers) and
    /// the JSON Pointer of their string or number; sorted by raw start.
    ///
    /// How (for speed): one pass of `JSONStringWalker` validates the body
    /// and records the raw span of every string and number; strings
    /// containing escapes are then decoded and scanned on their own. One
    /// pass of Hyperscan and `NumericMatcher` covers the whole raw body, and
    /// each validated finding is kept only if it lies inside an unescaped
    /// string or a number (structure and keys-vs-values boundaries are
    /// therefore respected: `"` is a token edge for every validator).
    /// Pointers are rebuilt from the container chain the walker records,
    /// only for findings.
    ///
    /// With `genericSecret` enabled, a value whose member key names a secret
    /// (`"password": "…"`) is also checked as a whole.
    ///
    /// `pointers: false` leaves `Finding.pointer` nil: callers that only
    /// count or mask findings (the policy stage, response masking) skip
    /// building a `String` per finding.
    ///
    /// Throws `.malformedJSON` for invalid JSON (the caller refuses the body)
    /// and `.engine` if scanning fails.
    public func scanJSON(_ raw: UnsafeRawBufferPointer, scratch: PatternScratch,
                         pointers: Bool = true) throws(InspectionError) -> [Finding] {
        // Only findings to count or mask: settled during the walk, no spans.
        if !pointers && !genericSecret { return try scanJSONFiltered(raw, scratch: scratch) }
        // The walker and its buffers belong to the scratch and are reused.
        let walker = scratch.jsonWalker
        // Kept up to 128 Ki spans (3 MiB, a ~1.5 MiB body); a larger list is freed.
        defer { walker.spans.removeAll(keepingCapacityUpTo: 1 << 17) }
        walker.spans.reserve(raw.count / 12)  // about one span per 13 bytes in API responses
        try walker.walk(raw)
        let spans = walker.spans.elements
        // One scan of the raw body (Hyperscan, then the numeric matcher),
        // findings kept (in place, in one array) inside plain strings and numbers.
        var out: [Finding] = []
        out.reserveCapacity(16)
        do throws(PatternEngineError) {
            try collect(raw, scratch: scratch, into: &out)
            try collectNumeric(raw, scratch: scratch, into: &out)
        } catch {
            throw .engine(error)
        }
        // Swaps through the buffer: moves, no retain and release of labels.
        let kept = out.withUnsafeMutableBufferPointer { f -> Int in
            var kept = 0
            for r in f.indices {
                guard let k = JSONSpan.index(containing: f[r].range, in: spans) else { continue }
                switch spans[k].kind {
                case .plainString: break
                case .number:
                    f[r].range = spans[k].range
                    f[r].inJSONNumber = true
                case .escapedString: continue
                }
                if r != kept { f.swapAt(r, kept) }
                kept += 1
            }
            return kept
        }
        out.removeLast(out.count - kept)
        // Strings the raw scan cannot see as decoded text: those with
        // escapes; and, for the secret detectors, values of secret-named keys.
        // Without the generic detector only escaped strings need this: the
        // walk listed them.
        let count = genericSecret ? spans.count : walker.escaped.count
        for k in 0..<count {
            let s = genericSecret ? spans[k] : spans[Int(walker.escaped[k])]
            if s.kind == .number { continue }
            try scanDecoded(raw, s, walker: walker, scratch: scratch, into: &out)
        }
        if out.isEmpty { return out }
        Inspector.resolve(&out)
        guard pointers else { return out }
        // JSON Pointers, rebuilt from the container chain the walk recorded.
        for k in out.indices {
            if let s = JSONSpan.index(containing: out[k].range, in: spans) {
                out[k].pointer = JSONPointer.make(raw, walker.frames(container: spans[s].container, own: spans[s].frame.frame))
            }
        }
        return out
    }

    /// The string `s` (not a number) as decoded text, for what the raw scan
    /// cannot see: a string with escapes is scanned decoded (its findings
    /// mapped back to raw ranges); a value of a secret-named member key is
    /// checked whole by the AWS secret key (escaped strings) and generic
    /// secret detectors.
    @inline(__always)
    func scanDecoded(_ raw: UnsafeRawBufferPointer, _ s: JSONSpan, walker: JSONStringWalker, scratch: PatternScratch,
                     into out: inout [Finding]) throws(InspectionError) {
        let keyContext = !s.isKey && s.frame.tag == 1 ? UnsafeRawBufferPointer(rebasing: raw[s.frame.keyRange]) : nil
        let text = walker.string(raw, s)
        if s.kind == .escapedString {
            let found: [Finding]
            do throws(PatternEngineError) {
                found = try scan(text.decoded, scratch: scratch)
            } catch {
                throw .engine(error)
            }
            for f in found { out.append(Finding(kind: f.kind, range: text.rawRange(f.range))) }
            if awsSecretKey, let key = keyContext, AWSKeyDetector.isSecretKeyValue(text.decoded, key: key) {
                out.append(Finding(kind: .detector(.awsSecretKey), range: s.range))
            }
        }
        if genericSecret, let key = keyContext, GenericSecretDetector.isSecretKeyName(key),
           GenericSecretDetector.isSecretValue(text.decoded, 0..<text.decoded.count,
                                               minEntropy: configuration.genericSecretMinEntropy) {
            out.append(Finding(kind: .detector(.genericSecret), range: s.range))
        }
    }
}
