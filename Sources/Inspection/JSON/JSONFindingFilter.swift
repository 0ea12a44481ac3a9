/// The walk's sink for `Inspector.scanJSON` when neither JSON Pointers nor
/// the generic-secret detector are asked for: instead of recording every
/// string and number (a span each, to search afterwards), it settles the
/// raw scan's findings against the tokens as the walk meets them, in order
/// of their starts. Per token that is one compare with the next pending
/// finding's start; the few findings are settled exactly as
/// `JSONSpan.index(containing:in:)` would against the recorded spans:
/// a finding is kept only if it lies inside one string's content or one
/// number token (a finding inside a string with escapes is dropped: the
/// decoded text is scanned instead). Only the strings with escapes are
/// recorded, in `escapedSpans`, in document order.
struct JSONFindingFilter: JSONWalkSink {
    /// A raw finding waiting for its token: its range and its index in the
    /// scan's findings.
    struct Pending: BitwiseCopyable {
        var start: Int32
        var end: Int32
        var index: Int32
    }

    /// What the walk decided for one finding: dropped, kept as is (in a
    /// string), or kept as the whole number token `start..<end`.
    struct Verdict: BitwiseCopyable {
        enum Outcome: UInt8 { case drop, keep, number }
        var start: Int32
        var end: Int32
        var outcome: Outcome
    }

    /// The findings, sorted by start (then index).
    private let pending: UnsafePointer<Pending>
    private let count: Int
    /// One verdict per finding index, `.drop` until settled.
    private let verdicts: UnsafeMutablePointer<Verdict>
    let escapedSpans: PodBuffer<JSONSpan>
    /// The next pending finding, and its start (`Int.max` once all are settled).
    private var k = 0
    private var next: Int

    /// Sorts `pending` (ranges of findings `0..<count`, in index order) by
    /// start and resets `verdicts` (sized to `count`) and `escapedSpans`.
    init(pending: PodBuffer<Pending>, verdicts: PodBuffer<Verdict>, escapedSpans: PodBuffer<JSONSpan>) {
        let n = pending.count
        var p = UnsafeMutableBufferPointer(start: pending.base, count: n)
        if n > 32 {
            p.sort { $0.start != $1.start ? $0.start < $1.start : $0.index < $1.index }
        } else if n > 1 {
            for i in 1..<n {  // insertion sort: stable, so equal starts stay in index order
                var j = i
                while j > 0, p[j].start < p[j - 1].start {
                    p.swapAt(j, j - 1)
                    j -= 1
                }
            }
        }
        verdicts.removeAll(keepingCapacityUpTo: 1 << 16)
        verdicts.reserve(n)
        for _ in 0..<n { verdicts.appendUnchecked(Verdict(start: 0, end: 0, outcome: .drop)) }
        escapedSpans.removeAll(keepingCapacityUpTo: 1 << 17)
        self.pending = UnsafePointer(pending.base)
        self.count = n
        self.verdicts = verdicts.base
        self.escapedSpans = escapedSpans
        next = n > 0 ? Int(pending.base[0].start) : .max
    }

    @inline(__always)
    mutating func string(start: Int, end: Int, escaped: Bool, isKey: Bool,
                         container: @autoclosure () -> Int32, own: @autoclosure () -> JSONFrame) {
        if escaped {
            escapedSpans.append(JSONSpan(start: start, end: end, kind: .escapedString, isKey: isKey,
                                         container: container(), frame: own()))
        }
        if next <= end { settle(start, end, escaped ? .drop : .keep) }
    }

    @inline(__always)
    mutating func number(start: Int, end: Int, container: @autoclosure () -> Int32, own: @autoclosure () -> JSONFrame) {
        if next <= end { settle(start, end, .number) }
    }

    /// Containers are not recorded.
    @inline(__always)
    mutating func open(parent: @autoclosure () -> Int32, position: @autoclosure () -> JSONFrame) -> Int32 { -1 }

    /// Settles every pending finding that starts at or before `end` against
    /// the token `start..<end`: each one is either inside it or inside no
    /// token at all (tokens are disjoint, and the next one starts after `end`).
    @inline(never)
    private mutating func settle(_ start: Int, _ end: Int, _ outcome: Verdict.Outcome) {
        while next <= end {
            let f = pending[k]
            let lo = Int(f.start), hi = Int(f.end)
            if lo >= start, hi <= end, !(lo == hi && start == end) {
                verdicts[Int(f.index)] = Verdict(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
                                                 outcome: outcome)
            }
            k &+= 1
            next = k < count ? Int(pending[k].start) : .max
        }
    }
}
