extension Inspector {
    /// `scanJSON(_:scratch:pointers: false)` without the generic-secret
    /// detector (the policy stage, response masking): the same findings,
    /// but the raw scan runs first and the walk settles its findings as it
    /// meets their strings and numbers (`JSONFindingFilter`) instead of
    /// recording every token to search afterwards. Only strings with
    /// escapes are recorded, to be scanned decoded.
    ///
    /// An engine error is thrown after the walk, so a malformed body is
    /// refused as malformed, as when the walk came first.
    func scanJSONFiltered(_ raw: UnsafeRawBufferPointer, scratch: PatternScratch) throws(InspectionError) -> [Finding] {
        let walker = scratch.jsonWalker
        var out: [Finding] = []
        swap(&out, &scratch.spareFindings)  // storage handed back by `recycle`, if any
        out.reserveCapacity(16)
        var engineError: PatternEngineError?
        do throws(PatternEngineError) {
            try collect(raw, scratch: scratch, into: &out)
            try collectNumeric(raw, scratch: scratch, into: &out)
        } catch {
            engineError = error
            out.removeAll()
        }
        let pending = walker.pending
        pending.removeAll(keepingCapacityUpTo: 1 << 16)
        pending.reserve(out.count)
        out.withUnsafeBufferPointer { f in
            for i in f.indices {
                pending.appendUnchecked(JSONFindingFilter.Pending(start: Int32(truncatingIfNeeded: f[i].range.lowerBound),
                                                                  end: Int32(truncatingIfNeeded: f[i].range.upperBound),
                                                                  index: Int32(truncatingIfNeeded: i)))
            }
        }
        var filter = JSONFindingFilter(pending: pending, verdicts: walker.verdicts, escapedSpans: walker.spans)
        try walker.walk(raw, into: &filter)
        if let engineError { throw .engine(engineError) }
        // Kept findings moved forward in order (swaps through the buffer: no
        // retain and release of labels); numbers widened to their token.
        let verdicts = walker.verdicts
        let kept = out.withUnsafeMutableBufferPointer { f -> Int in
            var kept = 0
            for r in f.indices {
                let v = verdicts[r]
                switch v.outcome {
                case .drop: continue
                case .keep: break
                case .number:
                    f[r].range = Int(v.start)..<Int(v.end)
                    f[r].inJSONNumber = true
                }
                if r != kept { f.swapAt(r, kept) }
                kept += 1
            }
            return kept
        }
        out.removeLast(out.count - kept)
        let escaped = filter.escapedSpans
        for k in 0..<escaped.count {
            try scanDecoded(raw, escaped[k], walker: walker, scratch: scratch, into: &out)
        }
        if out.isEmpty { return out }
        Inspector.resolve(&out)
        return out
    }
}
