extension Inspector {
    /// Scans every string (values and member keys) and every number of a
    /// JSON body, strings *after* decoding escapes. Findings carry raw
    /// ranges (whole escape units; a whole number token for numbers) and
    /// the JSON Pointer of their string or number; sorted by raw start.
    ///
    /// How (for speed): one pass of `JSONStringWalker` validates the body
    /// and records the raw span of every unescaped string and number;
    /// strings containing escapes are decoded and scanned on their own. Then
    /// one pass of Hyperscan and `NumericMatcher` covers the whole raw body, and each validated
    /// finding is kept only if it lies inside an unescaped string or a
    /// number (structure and keys-vs-values boundaries are therefore
    /// respected: `"` is a token edge for every validator). Pointers are
    /// rebuilt from the container chain the walker records, only for findings.
    ///
    /// With `genericSecret` enabled, a value whose member key names a secret
    /// (`"password": "…"`) is also checked as a whole.
    ///
    /// Throws `.malformedJSON` for invalid JSON (the caller refuses the body)
    /// and `.engine` if scanning fails.
    public func scanJSON(_ raw: UnsafeRawBufferPointer, scratch: PatternScratch) throws(InspectionError) -> [Finding] {
        // The walker's buffers and the span list belong to the scratch and
        // are reused; moved out here (and back below) so they stay unique.
        var walker = scratch.jsonWalker
        var spans = scratch.jsonSpans
        scratch.jsonWalker = JSONStringWalker()
        scratch.jsonSpans = []
        defer {
            // Kept up to 128 Ki spans (3 MiB, a ~1.5 MiB body); a larger list is freed.
            spans.removeAll(keepingCapacity: spans.capacity <= 1 << 17)
            scratch.jsonSpans = spans
            scratch.jsonWalker = walker
        }
        spans.reserveCapacity(raw.count / 12)  // about one span per 13 bytes in API responses
        var out: [Finding] = []
        let generic = configuration.detectors.contains(.genericSecret)
        let awsSecret = configuration.detectors.contains(.awsSecretKey)
        let minEntropy = configuration.genericSecretMinEntropy
        // Pass 1: structure, spans, escaped strings, secret-named keys.
        try walker.walk(raw, { (s, frames) throws(InspectionError) in
            var keyContext: UnsafeRawBufferPointer? = nil
            if !s.isKey, case .object(let key)? = frames.last { keyContext = UnsafeRawBufferPointer(rebasing: raw[key]) }
            let own: JSONStringWalker.Frame? = s.isKey ? .object(key: s.rawContent) : frames.last
            if s.origin.isEmpty {
                spans.append(JSONSpan(range: s.rawContent, kind: .plainString, container: s.container, frame: own))
            } else {
                spans.append(JSONSpan(range: s.rawContent, kind: .escapedString, container: s.container, frame: own))
                let found: [Finding]
                do throws(PatternEngineError) {
                    found = try scan(s.decoded, scratch: scratch)
                } catch {
                    throw .engine(error)
                }
                for f in found { out.append(Finding(kind: f.kind, range: s.rawRange(f.range))) }
                if awsSecret, let key = keyContext, AWSKeyDetector.isSecretKeyValue(s.decoded, key: key) {
                    out.append(Finding(kind: .detector(.awsSecretKey), range: s.rawContent))
                }
            }
            if generic, let key = keyContext, GenericSecretDetector.isSecretKeyName(key),
               GenericSecretDetector.isSecretValue(s.decoded, 0..<s.decoded.count, minEntropy: minEntropy) {
                out.append(Finding(kind: .detector(.genericSecret), range: s.rawContent))
            }
        }, number: { range, frames, container in
            spans.append(JSONSpan(range: range, kind: .number, container: container, frame: frames.last))
        })
        // Pass 2: one scan of the raw body (Hyperscan, then the numeric
        // matcher), findings kept inside plain strings and numbers.
        var whole: [Finding] = []
        do throws(PatternEngineError) {
            try collect(raw, scratch: scratch, into: &whole)
            try collectNumeric(raw, scratch: scratch, into: &whole)
        } catch {
            throw .engine(error)
        }
        for f in whole {
            guard let k = JSONSpan.index(containing: f.range, in: spans) else { continue }
            switch spans[k].kind {
            case .plainString: out.append(f)
            case .number:
                var n = Finding(kind: f.kind, range: spans[k].range)
                n.inJSONNumber = true
                out.append(n)
            case .escapedString: break
            }
        }
        if out.isEmpty { return out }
        out = Inspector.resolve(out)
        // JSON Pointers, rebuilt from the container chain recorded in pass 1.
        for k in out.indices {
            if let k2 = JSONSpan.index(containing: out[k].range, in: spans) {
                out[k].pointer = JSONPointer.make(raw, walker.frames(container: spans[k2].container, own: spans[k2].frame))
            }
        }
        return out
    }
}

/// The raw extent of one JSON string's content or one number token, and
/// where it is (for its JSON Pointer). Packed into 24 bytes: a large body
/// has one span per string and number.
struct JSONSpan {
    enum Kind: UInt8 { case plainString, escapedString, number }
    private var start: Int32
    private var end: Int32
    /// Enclosing container (index into the walker's `containers`), -1 at top level.
    var container: Int32
    /// Own frame: key range (tag 1) or array index (tag 2), none (tag 0).
    private var frameA: Int32
    private var frameB: Int32
    private var frameTag: UInt8
    var kind: Kind

    init(range: Range<Int>, kind: Kind, container: Int32, frame: JSONStringWalker.Frame?) {
        start = Int32(range.lowerBound)
        end = Int32(range.upperBound)
        self.kind = kind
        self.container = container
        switch frame {
        case .object(let key)?: frameTag = 1; frameA = Int32(key.lowerBound); frameB = Int32(key.upperBound)
        case .array(let index)?: frameTag = 2; frameA = Int32(truncatingIfNeeded: index); frameB = 0
        case nil: frameTag = 0; frameA = 0; frameB = 0
        }
    }

    var range: Range<Int> { Int(start)..<Int(end) }

    var frame: JSONStringWalker.Frame? {
        switch frameTag {
        case 1: .object(key: Int(frameA)..<Int(frameB))
        case 2: .array(index: Int(frameA))
        default: nil
        }
    }

    /// Index of the span that contains `r` entirely (binary search; spans
    /// are in document order and disjoint).
    static func index(containing r: Range<Int>, in spans: [JSONSpan]) -> Int? {
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(spans[mid].start) <= r.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let s = spans[lo - 1].range
        return r.lowerBound >= s.lowerBound && r.upperBound <= s.upperBound && !(r.isEmpty && s.isEmpty) ? lo - 1 : nil
    }
}
