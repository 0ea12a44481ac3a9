/// One stream of text that detection runs over, with a bounded look-behind
/// window: the decoded text of a `text/*` body, the decoded string values of
/// a JSON body, or the values at one JSON path across the events of an SSE
/// stream. Offsets are absolute (bytes appended since the stream began).
///
/// `committed` is the point up to which masking decisions are final. It
/// trails the end by `window` bytes, never falls inside a finding (a
/// finding that reaches into the window holds it back to the finding's
/// start), never splits a UTF-8 sequence, and is held back to the start of
/// a JWT or PEM key still being received. Only text before `committed` may
/// be released.
struct MaskChannel {
    /// Decoded text from `base` on (some look-behind before `committed`, then the uncommitted tail).
    private(set) var text: [UInt8] = []
    private(set) var base = 0
    private(set) var committed = 0
    /// Decided masks, sorted, not yet fully released.
    var spans: [MaskedSpan] = []
    /// The labels of every mask decided so far.
    private(set) var masked = MaskedLabels()
    /// The last byte appended was a separator (or nothing was appended yet).
    private var separated = true

    var end: Int { base + text.count }
    var hasUncommitted: Bool { committed < end }

    /// Appends text; returns the absolute offset where it starts.
    @discardableResult
    mutating func append(_ bytes: some Collection<UInt8>) -> Int {
        let at = end
        text.append(contentsOf: bytes)
        if !bytes.isEmpty { separated = false }
        return at
    }

    /// Appends a byte that belongs to no output piece, so that two values
    /// never run together (`0x00` between JSON strings, `\n` between the
    /// data lines of one SSE event). No-op right after another separator.
    mutating func separate(_ byte: UInt8 = 0) {
        if separated { return }
        text.append(byte)
        separated = true
    }

    /// Rescans the uncommitted text (with look-behind context) and moves
    /// `committed` forward, deciding the masks before it. `final` commits
    /// everything (end of stream).
    mutating func advance(final: Bool, _ ctx: StreamMaskContext, scratch: PatternScratch) throws(StreamMaskError) {
        if committed == end { return }
        let scanned: Result<[Finding], PatternEngineError> = text.withUnsafeBytes { raw in
            do throws(PatternEngineError) { return .success(try ctx.inspector.scan(raw, scratch: scratch)) } catch {
                return .failure(error)
            }
        }
        let findings: [Finding]
        switch scanned {
        case .success(let f): findings = f
        case .failure(let e): throw .engine(e)
        }
        var live: [(range: Range<Int>, kind: FindingKind, strategy: MaskStrategy)] = []
        for f in findings {
            guard let s = ctx.plan.strategy(for: f.kind) else { continue }
            let r = (base + f.range.lowerBound)..<(base + f.range.upperBound)
            if r.upperBound <= committed { continue }
            if r.lowerBound < committed {
                // Its start is already released. Fine if a decided span covers it.
                if spans.contains(where: { $0.range.lowerBound <= r.lowerBound && $0.range.upperBound >= r.upperBound }) { continue }
                throw .secretExceedsWindow(label: f.kind.label, window: ctx.limits.window)
            }
            live.append((r, f.kind, s))
        }
        var c = final ? end : Swift.max(committed, end - ctx.limits.window)
        if !final && ctx.breakersApply {
            // No built-in finding spans a breaker: text up to the last one is final.
            var k = text.count
            let from = Swift.max(c, committed) - base
            while k > from, !Self.isBreaker(text[k - 1]) { k -= 1 }
            if k > from { c = base + k }
        }
        if !final {
            var moved = true
            while moved {
                moved = false
                for l in live where l.range.lowerBound < c && l.range.upperBound > c {
                    c = l.range.lowerBound
                    moved = true
                }
            }
            c = Swift.min(c, anchorHold())
            while c > committed, c < end, text[c - base] & 0xC0 == 0x80 { c -= 1 }
            c = Swift.max(c, committed)
        }
        for l in live where l.range.upperBound <= c {
            masked.insert(l.kind)
            if let last = spans.last, l.range.lowerBound < last.range.upperBound {
                spans[spans.count - 1].range = last.range.lowerBound..<Swift.max(last.range.upperBound, l.range.upperBound)
                continue
            }
            let value = Array(text[(l.range.lowerBound - base)..<(l.range.upperBound - base)])
            spans.append(MaskedSpan(range: l.range, replacement: ctx.plan.replacement(for: l.kind, value: value, strategy: l.strategy)))
        }
        committed = c
        if end - committed > ctx.limits.maxHeld { throw .heldTooLong(limit: ctx.limits.maxHeld) }
        let keepFrom = Swift.max(base, committed - ctx.limits.lookBehind)
        if keepFrom - base >= 4096 || (keepFrom > base && keepFrom - base >= text.count / 2) {
            text.removeFirst(keepFrom - base)
            base = keepFrom
        }
    }

    /// The earliest uncommitted start of a secret that may still be growing
    /// beyond the window: a `-----BEGIN` with no `-----END` after it, or a
    /// run of JWT characters starting `eyJ` that reaches the end. `end` if none.
    private func anchorHold() -> Int {
        let from = Swift.max(committed - base, 0)
        let n = text.count
        var hold = end
        // JWT: walk back over the trailing run of base64url and '.'.
        var i = n
        while i > from, Self.isJWTByte(text[i - 1]) { i -= 1 }
        if n - i >= 3 {
            var j = i
            while j + 3 <= n {
                if text[j] == 0x65, text[j + 1] == 0x79, text[j + 2] == 0x4A { hold = base + j; break }  // "eyJ"
                j += 1
            }
        }
        // PEM: the last BEGIN line without an END after it.
        var k = from
        var openBegin: Int?
        while k + 10 <= n {
            if text[k] == 0x2D, text[k + 1] == 0x2D, text[k + 2] == 0x2D, text[k + 3] == 0x2D, text[k + 4] == 0x2D {
                if Self.matches(text, k + 5, Self.beginWord) { if openBegin == nil { openBegin = k } }
                else if Self.matches(text, k + 5, Self.endWord) {
                    // closed only once the END line's closing dashes have arrived
                    var j = k + 8
                    while j < n, j - k < 80, text[j] != 0x2D { j += 1 }
                    if j + 5 <= n, Self.matches(text, j, Self.dashes) { openBegin = nil }
                }
                k += 5
                continue
            }
            k += 1
        }
        if let b = openBegin { hold = Swift.min(hold, base + b) }
        return hold
    }

    private static let beginWord: [UInt8] = Array("BEGIN".utf8)
    private static let endWord: [UInt8] = Array("END".utf8)
    private static let dashes: [UInt8] = Array("-----".utf8)

    private static func matches(_ t: [UInt8], _ at: Int, _ word: [UInt8]) -> Bool {
        if at + word.count > t.count { return false }
        for i in 0..<word.count where t[at + i] != word[i] { return false }
        return true
    }

    /// Bytes that no built-in detector's finding contains (checked against
    /// each detector's character set: emails allow most punctuation, cards,
    /// phones, SSNs and IBANs allow spaces and dashes, IPv6 colons). Not used
    /// when custom patterns exist: they may match anything.
    static func isBreaker(_ b: UInt8) -> Bool {
        switch b {
        case 0x00, 0x09, 0x0A, 0x0D, 0x22, 0x2C, 0x3B, 0x3C, 0x3E, 0x5B, 0x5C, 0x5D: true
        default: false
        }
    }

    private static func isJWTByte(_ b: UInt8) -> Bool {
        ByteClass.isAlnum(b) || b == 0x2D || b == 0x5F || b == 0x2E
    }

    /// Drops spans that end at or before `offset` (their text is released).
    mutating func releasedThrough(_ offset: Int) {
        var k = 0
        while k < spans.count, spans[k].range.upperBound <= offset { k += 1 }
        if k > 0 { spans.removeFirst(k) }
    }
}

/// A decided mask: the absolute range in the channel and its replacement
/// (unescaped). The replacement is written once, by the first output piece
/// that overlaps the range; the rest of the range is dropped.
struct MaskedSpan {
    var range: Range<Int>
    var replacement: [UInt8]
    var written = false
}

/// What every channel of one stream shares.
struct StreamMaskContext {
    let inspector: Inspector
    let plan: MaskPlan
    let limits: StreamMasker.Limits
    /// Only built-in detectors run, so `MaskChannel.isBreaker` holds.
    let breakersApply: Bool

    init(inspector: Inspector, plan: MaskPlan, limits: StreamMasker.Limits) {
        self.inspector = inspector
        self.plan = plan
        self.limits = limits
        breakersApply = inspector.configuration.customPatterns.isEmpty
    }
}
