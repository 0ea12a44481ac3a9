internal import Glibc

/// Candidate matching for the email detector without Hyperscan.
///
/// Why. Its one pattern (`EmailDetector.patterns`) is three bytes: a
/// local-part byte, `@`, a domain byte. In the Hyperscan database it cost
/// its own engine passes over every body (≈ 1,500 instructions on a 1 KiB
/// response, more than a third of the scan); `memchr` finds the `@`s for a
/// fraction of that, and the validator re-anchors the address from the `@`
/// as before.
///
/// Exactness. The candidates are the pattern's matches, in the order
/// Hyperscan reports them (by end), and they count toward the scratch's
/// `matchLimit` as Hyperscan candidates did. `Inspector.collect` takes them
/// before the Hyperscan candidates: a finding of another pattern with the
/// same range as a validated address ends after the address's `@` + 2
/// (the domain has a dot), where Hyperscan reported the email candidate,
/// so equal ranges keep the order they had. `EmailMatcherTests` checks the
/// candidates against the compiled pattern.
enum EmailMatcher {
    /// The byte after `@` the pattern allows: `[A-Za-z0-9\x80-\xff]`.
    @inline(__always) static func isDomainStart(_ c: UInt8) -> Bool { ByteClass.isAlnum(c) || c >= 0x80 }

    /// Calls `body` with the offset of the `@` of every match of
    /// `EmailDetector.patterns` in `b` (match `at - 1 ..< at + 2`), in order.
    @inline(__always)
    static func forEachCandidate(_ b: UnsafeRawBufferPointer, _ body: (_ at: Int) -> Void) {
        let n = b.count
        guard n >= 3, let base = b.baseAddress else { return }
        var i = 1  // an `@` at 1 ... n - 2 has a byte on each side
        while i < n &- 1, let hit = memchr(base + i, 0x40, n &- 1 &- i) {
            let at = UnsafeRawPointer(hit) - base
            if EmailDetector.isLocal(b[at &- 1]), isDomainStart(b[at &+ 1]) { body(at) }
            i = at &+ 1
        }
    }

    /// Appends the validated email findings of `b` to `found` and returns
    /// the number of candidates.
    static func collect(_ b: UnsafeRawBufferPointer, into found: inout [Finding]) -> Int {
        var candidates = 0
        forEachCandidate(b) { at in
            candidates &+= 1
            if let r = EmailDetector.validate(b, at &- 1, at &+ 2) { found.append(Finding(kind: .detector(.email), range: r)) }
        }
        return candidates
    }
}
