/// Where a JSON value sits in its container, packed into 9 bytes: a member
/// key's raw content range (`tag` 1), an array index (`tag` 2), or nothing
/// (`tag` 0, a top-level value). Recorded for every string and number of a
/// body, so it stays small and free of enums with payloads.
struct JSONFrame: BitwiseCopyable {
    var a: Int32
    var b: Int32
    var tag: UInt8

    static let none = JSONFrame(a: 0, b: 0, tag: 0)

    @inline(__always) static func key(_ start: Int, _ end: Int) -> JSONFrame {
        JSONFrame(a: Int32(truncatingIfNeeded: start), b: Int32(truncatingIfNeeded: end), tag: 1)
    }

    @inline(__always) static func index(_ i: Int32) -> JSONFrame { JSONFrame(a: i, b: 0, tag: 2) }

    @inline(__always) var isArray: Bool { tag == 2 }

    /// The member key's raw content range (tag 1 only).
    var keyRange: Range<Int> { Int(a)..<Int(b) }

    var frame: JSONStringWalker.Frame? {
        switch tag {
        case 1: .object(key: keyRange)
        case 2: .array(index: Int(a))
        default: nil
        }
    }
}

/// The raw extent of one JSON string's content (a value or a member key)
/// or of one number token, and where it is (for its JSON Pointer).
/// `JSONStringWalker` records one per string and number, in document
/// order; 24 bytes each.
struct JSONSpan: BitwiseCopyable {
    enum Kind: UInt8 { case plainString, escapedString, number }
    var start: Int32
    var end: Int32
    /// Enclosing container (index into the walker's `containers`), -1 at top level.
    var container: Int32
    /// Own frame: the member key or array index of this value; for a key, its own range.
    var frame: JSONFrame
    var kind: Kind
    var isKey: Bool

    @inline(__always)
    init(start: Int, end: Int, kind: Kind, isKey: Bool, container: Int32, frame: JSONFrame) {
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
        self.container = container
        self.frame = frame
        self.kind = kind
        self.isKey = isKey
    }

    var range: Range<Int> { Int(start)..<Int(end) }

    /// Index of the span that contains `r` entirely (binary search; spans
    /// are in document order and disjoint).
    static func index(containing r: Range<Int>, in spans: UnsafeBufferPointer<JSONSpan>) -> Int? {
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
