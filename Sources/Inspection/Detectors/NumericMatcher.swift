internal import CByteScan

/// Candidate matching for the numeric detectors (cards, SSNs, phones,
/// IBANs, IPv4, IPv6) without Hyperscan.
///
/// Why. Their patterns (`Detector.patterns`) are digit and hex classes with
/// bounded repeats and no literal, which Hyperscan runs as automata over
/// every byte: on JSON API responses (about 18% digits: timestamps, IDs,
/// amounts) they cost about 4 ms per MiB, more than the whole scan+mask
/// budget of 300 MB/s. This matcher visits once each run of digits that
/// can start a candidate (and each colon, for IPv6) and checks the same
/// shapes by hand.
///
/// Exactness. For every pattern it reports the candidates Hyperscan reports
/// (start of match with leftmost-start semantics, and every end), except
/// that where a validator ignores one end of the candidate (IBAN and `+`
/// phone numbers re-anchor from the start, IPv6 from the end) one candidate
/// per start (or end) is reported instead of every one. The validators then
/// run unchanged. `NumericMatcherTests` checks this against the Hyperscan
/// patterns on the corpus and on random digit-heavy text.
struct NumericMatcher {
    /// Which numeric detectors run.
    struct Enabled: Sendable, Hashable {
        var card = false, ssn = false, phone = false, iban = false, ipv4 = false, ipv6 = false
        var any: Bool { card || ssn || phone || iban || ipv4 || ipv6 }

        init(_ detectors: Set<Detector>) {
            card = detectors.contains(.creditCard)
            ssn = detectors.contains(.ssn)
            phone = detectors.contains(.phone)
            iban = detectors.contains(.iban)
            ipv4 = detectors.contains(.ipv4)
            ipv6 = detectors.contains(.ipv6)
        }
    }

    let b: UnsafeRawBufferPointer
    let p: UnsafePointer<UInt8>
    let n: Int
    let enabled: Enabled
    let options: ValidationOptions

    /// Appends every validated numeric finding in `b` to `found` (unsorted, not deduplicated).
    static func collect(_ b: UnsafeRawBufferPointer, _ enabled: Enabled, _ options: ValidationOptions, into found: inout [Finding]) {
        guard enabled.any, let base = b.baseAddress else { return }
        let m = NumericMatcher(b: b, p: base.assumingMemoryBound(to: UInt8.self), n: b.count, enabled: enabled, options: options)
        m.run(&found)
    }

    /// Visits every digit run (at its first digit) that can start a
    /// candidate and, for IPv6, every colon that can be part of one, in
    /// document order. `gh_numeric_scan` classifies the bytes 64 at a time
    /// and drops by bit arithmetic the runs that would fail the first
    /// tests of `run(at:length:_:)` (most runs: `"id": 5`, `item-0005`);
    /// this loop visits the bits it returns. Offsets in this loop and in
    /// `run(at:length:_:)` use wrapping arithmetic: they stay within the
    /// buffer's count, so the overflow checks only cost (spills and
    /// branches per digit run).
    func run(_ found: inout [Finding]) {
        let colons: Int32 = enabled.ipv6 ? 1 : 0
        var state = gh_numeric_state()
        withUnsafeTemporaryAllocation(of: gh_numeric_block.self, capacity: 16) { blocks in
            let out = blocks.baseAddress!
            while state.at < n {
                let count = gh_numeric_scan(p, n, colons, &state, out, 16)
                for b in 0..<count {
                    let i = Int(truncatingIfNeeded: out[b].at), digits = out[b].digits
                    var visits = out[b].visits
                    while visits != 0 {
                        let k = visits.trailingZeroBitCount
                        visits &= visits &- 1
                        if digits & (1 << UInt64(k)) == 0 {
                            colon(at: i &+ k, &found)
                            continue
                        }
                        // The run's length from the mask when it ends in this block.
                        let ends = ~digits & (UInt64.max << UInt64(k))
                        let length = ends != 0 ? ends.trailingZeroBitCount &- k : 64 &- k &+ self.digits(i &+ 64)
                        run(at: i &+ k, length: length, &found)
                    }
                }
            }
        }
    }

    /// The colon at `j`: only `::`, or a colon after a hex digit, can be
    /// part of an IPv6 candidate.
    @inline(__always)
    func colon(at j: Int, _ found: inout [Finding]) {
        if ByteClass.isHex(at(j - 1)) || at(j + 1) == 0x3A { colon(j, &found) }
    }

    // MARK: Byte access (0 outside the buffer: not a word byte, digit or separator)

    @inline(__always) func at(_ i: Int) -> UInt8 { i >= 0 && i < n ? p[i] : 0 }
    @inline(__always) func nonWord(_ i: Int) -> Bool { !ByteClass.isWord(at(i)) }
    @inline(__always) func isDigit2to9(_ c: UInt8) -> Bool { c &- 0x32 < 8 }
    @inline(__always) func isSep3(_ c: UInt8) -> Bool { c == 0x20 || c == 0x2E || c == 0x2D }  // [ .\-]
    @inline(__always) func isUpperOrDigit(_ c: UInt8) -> Bool { ByteClass.isDigit(c) || ByteClass.isUpper(c) }

    /// Length of the run of ASCII digits at `i`.
    @inline(__always) func digits(_ i: Int) -> Int {
        guard i >= 0 else { return 0 }
        var j = i
        while j < n, ByteClass.isDigit(p[j]) { j += 1 }
        return j - i
    }

    @inline(__always) func emit(_ d: Detector, _ start: Int, _ end: Int, _ found: inout [Finding]) {
        if let r = d.validate(b, start, end, options) { found.append(Finding(kind: .detector(d), range: r)) }
    }

    // MARK: Digit runs

    /// Every pattern whose match starts at, or just before, the digit run
    /// `q..<q+length`. Inlined into the block loop: most runs fail the
    /// first tests (glued to a lowercase letter, or followed by nothing a
    /// pattern continues with), and only the others pay for a call.
    /// `@_transparent`, not `@inline(__always)`: the optimizer outlined it
    /// anyway once `phoneMayStart` grew (≈ 1,400 instructions more per
    /// 1 KiB body, in spills around the call).
    @_transparent
    func run(at q: Int, length l: Int, _ found: inout [Finding]) {
        let before = at(q &- 1)
        if ByteClass.isWord(before) {
            // Glued to a letter or `_` (hex IDs, hashes, `v2`): only an IBAN (`DE89…`) can start here.
            if enabled.iban, l >= 2, ByteClass.isUpper(before) { iban(at: q, &found) }
            return
        }
        // At a word edge: each family is called only when its first shape
        // test passes (most runs match none). Below 13 digits every shape
        // continues with a separator (` `, `.` or `-`: also the national
        // phone patterns that start with `0`), or follows `+` or `(`
        // (`phone`): other runs (IDs, counts, `item-0007`) stop here.
        let next = at(q &+ l), first = p[q]
        if l < 13, !isSep3(next), before != 0x2B, before != 0x28 { return }
        if enabled.card, l >= 13 || (l == 4 && (next == 0x20 || next == 0x2D)) { card(q, l, next, &found) }
        if enabled.ssn, l == 3, next == 0x2D || next == 0x20 { ssn(q, next, &found) }
        if enabled.phone, phoneMayStart(q, l, before, first, next) { phone(q, l, first, next, true, &found) }
        if enabled.ipv4, l <= 3, next == 0x2E { ipv4(q, l, &found) }
    }

    /// Whether one of the phone patterns can start at (or, after `+` or
    /// `(`, just before) an edge run: the entry test of each branch of `phone`.
    /// The national patterns starting with `0` all need a second digit
    /// other than `0`, so zero-padded numbers (`item-0007`, `00042`) are
    /// not called for.
    @inline(__always)
    func phoneMayStart(_ q: Int, _ l: Int, _ before: UInt8, _ first: UInt8, _ next: UInt8) -> Bool {
        (before == 0x2B && first != 0x30)
            || (l == 3 && isDigit2to9(first) && (before == 0x28 || isSep3(next)))
            || (l == 1 && first == 0x31 && isSep3(next))
            || (first == 0x30 && l >= 2 && l <= 6 && p[q &+ 1] != 0x30)
    }

    /// `\b[0-9]{3}S[0-9]{2}S[0-9]{4}\b` with S a space or a dash, the same twice.
    func ssn(_ q: Int, _ s: UInt8, _ found: inout [Finding]) {
        if digits(q + 4) == 2, at(q + 6) == s, digits(q + 7) == 4, nonWord(q + 11) { emit(.ssn, q, q + 11, &found) }
    }

    /// The IBAN shape with check digits at `q`, after two capitals.
    func iban(at q: Int, _ found: inout [Finding]) {
        if ByteClass.isUpper(at(q - 2)), nonWord(q - 3), iban(q) {
            emit(.iban, q - 2, q + 2, &found)  // the validator re-anchors from the country code
        }
    }

    /// `\b[0-9]{13,19}\b`, `\b[0-9]{4}(?:S[0-9]{4}){3}(?:S[0-9]{1,3})?\b`,
    /// `\b[0-9]{4}S[0-9]{6}S[0-9]{4,5}\b` with S a space or a dash.
    func card(_ q: Int, _ l: Int, _ next: UInt8, _ found: inout [Finding]) {
        if l >= 13, l <= 19, nonWord(q + l) { emit(.creditCard, q, q + l, &found) }
        guard l == 4, next == 0x20 || next == 0x2D else { return }
        let s = next
        let second = digits(q + 5)
        if second == 4, at(q + 9) == s, digits(q + 10) == 4, at(q + 14) == s, digits(q + 15) == 4 {
            let e = q + 19
            if nonWord(e) { emit(.creditCard, q, e, &found) }
            if at(e) == s {
                let t = digits(e + 1)
                if t >= 1, t <= 3, nonWord(e + 1 + t) { emit(.creditCard, q, e + 1 + t, &found) }
            }
        } else if second == 6, at(q + 11) == s {
            let t = digits(q + 12)
            if t == 4 || t == 5, nonWord(q + 12 + t) { emit(.creditCard, q, q + 12 + t, &found) }
        }
    }

    /// The seven phone patterns (see `PhoneDetector.patterns`).
    func phone(_ q: Int, _ l: Int, _ first: UInt8, _ next: UInt8, _ edge: Bool, _ found: inout [Finding]) {
        let before = at(q - 1)
        if before == 0x2B, first != 0x30 {  // `+`: the validator re-anchors the end itself
            if (l >= 8 && l <= 15 && nonWord(q + l)) || (l <= 4 && internationalGroups(q + l)) {
                emit(.phone, q - 1, q + l, &found)
            }
        }
        if before == 0x28, l == 3, isDigit2to9(first), at(q + 3) == 0x29 {  // `\([2-9][0-9]{2}\) ?` …
            var k = q + 4
            if at(k) == 0x20 { k += 1 }
            if let e = nanpTail(k) { emit(.phone, q - 1, e, &found) }
        }
        guard edge else { return }
        if l == 3, isDigit2to9(first), isSep3(next), let e = nanpTail(q + 4) {  // `\b[2-9][0-9]{2}[ .\-]` …
            emit(.phone, q, e, &found)
        }
        if l == 1, first == 0x31, isSep3(next) {  // `\b1[ .\-][2-9][0-9]{2}[ .\-]` …
            let k = q + 2
            if isDigit2to9(at(k)), digits(k) == 3, isSep3(at(k + 3)), let e = nanpTail(k + 4) { emit(.phone, q, e, &found) }
        }
        guard first == 0x30 else { return }
        let second = at(q + 1)
        if l >= 3, l <= 6, second != 0x30, next == 0x20 || next == 0x2D {  // `\b0[1-9][0-9]{1,4}[ \-][0-9]{3,4}[ \-][0-9]{3,4}\b`
            let k = q + l + 1, t2 = digits(k)
            if t2 == 3 || t2 == 4 {
                let s2 = at(k + t2), k3 = k + t2 + 1, t3 = digits(k3)
                if s2 == 0x20 || s2 == 0x2D, t3 == 3 || t3 == 4, nonWord(k3 + t3) { emit(.phone, q, k3 + t3, &found) }
            }
        }
        if l == 5, second == 0x37, next == 0x20, digits(q + 6) == 6, nonWord(q + 12) {  // `\b07[0-9]{3} [0-9]{6}\b`
            emit(.phone, q, q + 12, &found)
        }
        if l == 2, second != 0x30 {  // `\b0[1-9](?:[ .][0-9]{2}){4}\b`
            var k = q + 2
            for _ in 0..<4 {
                let s = at(k)
                guard s == 0x20 || s == 0x2E, digits(k + 1) == 2 else { return }
                k += 3
            }
            if nonWord(k) { emit(.phone, q, k, &found) }
        }
    }

    /// `[2-9][0-9]{2}[ .\-][0-9]{4}\b` at `k`: its end, or nil.
    @inline(__always) func nanpTail(_ k: Int) -> Int? {
        guard isDigit2to9(at(k)), digits(k) == 3, isSep3(at(k + 3)), digits(k + 4) == 4, nonWord(k + 8) else { return nil }
        return k + 8
    }

    /// At least two groups of `(?:[ .\-]\(?[0-9]{1,5}\)?)` at `k`.
    func internationalGroups(_ k: Int) -> Bool {
        var i = k
        guard isSep3(at(i)) else { return false }
        i += 1
        if at(i) == 0x28 { i += 1 }
        let t = digits(i)
        guard t >= 1, t <= 5 else { return false }
        i += t
        if at(i) == 0x29 { i += 1 }
        guard isSep3(at(i)) else { return false }
        i += 1
        if at(i) == 0x28 { i += 1 }
        return ByteClass.isDigit(at(i))
    }

    /// `\b[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\b` at `q`.
    func ipv4(_ q: Int, _ l: Int, _ found: inout [Finding]) {
        var k = q + l
        for _ in 0..<3 {
            guard at(k) == 0x2E else { return }
            let t = digits(k + 1)
            guard t >= 1, t <= 3 else { return }
            k += 1 + t
        }
        if nonWord(k) { emit(.ipv4, q, k, &found) }
    }

    /// Whether `\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b` or
    /// `\b[A-Z]{2}[0-9]{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?\b`
    /// matches with the check digits at `q` (letters and edge checked by the caller).
    func iban(_ q: Int) -> Bool {
        var t = 0
        while q + t < n, isUpperOrDigit(p[q + t]) { t += 1 }
        if t >= 13, t <= 32, nonWord(q + t) { return true }
        var k = q + 2, groups = 0
        while groups < 7, at(k) == 0x20, isUpperOrDigit(at(k + 1)), isUpperOrDigit(at(k + 2)),
              isUpperOrDigit(at(k + 3)), isUpperOrDigit(at(k + 4)) {
            k += 5
            groups += 1
            guard groups >= 2 else { continue }
            if nonWord(k) { return true }
            if at(k) == 0x20 {
                var u = 0
                while u < 4, isUpperOrDigit(at(k + 1 + u)) { u += 1 }
                if u >= 1, u <= 3, nonWord(k + 1 + u) { return true }
            }
        }
        return false
    }

    // MARK: Colons (IPv6)

    /// `::`, and `[0-9A-Fa-f]{1,4}:` four times ending with the colon at `c`.
    /// The validator re-anchors from the end, so the start passed is nominal.
    func colon(_ c: Int, _ found: inout [Finding]) {
        if at(c + 1) == 0x3A { emit(.ipv6, c, c + 2, &found) }
        var j = c
        for _ in 0..<3 {
            var h = 0
            while h < 5, ByteClass.isHex(at(j - 1 - h)) { h += 1 }
            guard h >= 1, h <= 4, at(j - 1 - h) == 0x3A else { return }
            j -= 1 + h
        }
        if ByteClass.isHex(at(j - 1)) { emit(.ipv6, j - 1, c + 1, &found) }
    }
}
