internal import CHyperscan

/// Per-thread Hyperscan scratch space plus a reusable candidate buffer.
///
/// Not `Sendable`: hs scratch must never be used by two scans at once. Each
/// event loop allocates one with `PatternDatabase.makeScratch()` (or
/// `clone()` of another loop's scratch at startup) and keeps it for its
/// lifetime, so the hot path allocates nothing.
public final class PatternScratch {
    let raw: OpaquePointer
    /// The database this scratch was sized for.
    public let database: PatternDatabase
    /// Upper bound on candidates per scan; beyond it `scan` throws
    /// `tooManyMatches` so callers fail closed instead of trusting a partial scan.
    public var matchLimit: Int = 1 << 20
    var matches: [PatternMatch] = []
    /// `Inspector.scanJSON`'s walker, whose buffers are kept between scans
    /// so that a warm scan allocates none (they grow to the largest body seen).
    let jsonWalker = JSONStringWalker()
    /// An emptied findings array handed back with `recycle`, which the next
    /// `scanJSON` without pointers fills instead of allocating one.
    var spareFindings: [Finding] = []

    init(raw: OpaquePointer, database: PatternDatabase) {
        self.raw = raw
        self.database = database
    }

    deinit { hs_free_scratch(raw) }

    /// Hands back the findings of a scan once they are no longer needed:
    /// emptied, their storage (up to 1,024 findings) serves the next scan.
    public func recycle(_ findings: inout [Finding]) {
        findings.removeAll(keepingCapacity: true)
        if findings.capacity <= 1024, spareFindings.capacity == 0 { swap(&findings, &spareFindings) }
    }

    /// A copy for another thread (hs_clone_scratch); cheaper than a fresh
    /// allocation when many loops start at once.
    public func clone() throws(PatternEngineError) -> PatternScratch {
        var copy: OpaquePointer?
        let rc = hs_clone_scratch(raw, &copy)
        guard rc == HS_SUCCESS, let copy else { throw .scratch(code: rc) }
        let s = PatternScratch(raw: copy, database: database)
        s.matchLimit = matchLimit
        return s
    }

    /// Scans `bytes` in block mode and returns every candidate, in the order
    /// hs reports them (by end offset). The returned array is this scratch's
    /// reused buffer: copy what you keep before the next scan. `counted`
    /// candidates found without hs (at most `matchLimit`) count toward the limit.
    public func scan(_ bytes: UnsafeRawBufferPointer, counted: Int = 0) throws(PatternEngineError) -> [PatternMatch] {
        matches.removeAll(keepingCapacity: true)
        guard bytes.count <= Int(UInt32.max) else { throw .scan(code: HS_INVALID) }
        var context = ScanContext(matches: matches, limit: matchLimit - counted)
        matches = []
        let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        let rc = withUnsafeMutablePointer(to: &context) { ctx in
            database.scan(database.raw, base.assumingMemoryBound(to: CChar.self), UInt32(bytes.count), 0, raw,
                    { id, from, to, _, ctx in
                        let c = ctx!.assumingMemoryBound(to: ScanContext.self)
                        if c.pointee.matches.count >= c.pointee.limit {
                            c.pointee.overflowed = true
                            return 1
                        }
                        c.pointee.matches.append(PatternMatch(pattern: Int(id), start: Int(from), end: Int(to)))
                        return 0
                    }, ctx)
        }
        matches = context.matches
        if context.overflowed { throw .tooManyMatches(limit: matchLimit) }
        guard rc == HS_SUCCESS else { throw .scan(code: rc) }
        return matches
    }
}

/// Collector handed to hs_scan's C callback through its context pointer.
struct ScanContext {
    var matches: [PatternMatch]
    var limit: Int
    var overflowed = false
}
