/// A single-pass JSON validator over raw bytes that records where every
/// string (values and member keys) and every number is, for
/// `Inspector.scanJSON`: one `JSONSpan` per string content or number token,
/// in document order, plus one `Container` per opened array or object (so
/// the JSON Pointer of a finding can be rebuilt afterwards without walking
/// again).
///
/// Why not `JSONParser`: inspection must not build a tree or `String`s for
/// every value of a large body. Why no visitor closure: the walk is most of
/// the cost of scanning a JSON body, and a closure call with the frames of
/// every string was half of it. The walk is one loop over raw pointers with
/// a fixed stack of open containers; strings with escapes are only
/// validated here, and decoded afterwards by whoever needs their text
/// (`decode`, with a map from decoded offsets back to raw offsets, so a
/// detector hit in `alice\u0040example.com` can be masked in the raw body).
///
/// It is strict enough to fail closed: malformed structure, bad escapes,
/// lone surrogates, raw control characters, invalid UTF-8, and nesting
/// deeper than `maxDepth` are errors with the raw byte offset. Numbers are
/// checked against the RFC 8259 grammar.
///
/// A class owned by one `PatternScratch` (one thread): its buffers are
/// reused from scan to scan.
final class JSONStringWalker {
    static let maxDepth = 128

    enum Frame {
        /// An object; `key` is the raw content range of the current member key.
        case object(key: Range<Int>)
        case array(index: Int)
    }

    /// One opened array or object: its parent container (-1 for the root)
    /// and its position there.
    struct Container: BitwiseCopyable {
        var parent: Int32
        var position: JSONFrame
    }

    /// An open container on the walk's stack: its current member key or
    /// element index, and its index in `containers`.
    struct Open: BitwiseCopyable {
        var frame: JSONFrame
        var container: Int32
    }

    /// Every string and number of the last walk, in document order.
    let spans = PodBuffer<JSONSpan>(capacity: 1024)
    /// Indices in `spans` of the strings with escapes, in document order.
    let escaped = PodBuffer<Int32>(capacity: 64)
    /// Every container of the last walk, in the order they were opened.
    let containers = PodBuffer<Container>(capacity: 64)
    /// The last `decode`d string and the raw offset of each of its bytes.
    let decoded = PodBuffer<UInt8>(capacity: 256)
    let origin = PodBuffer<Int32>(capacity: 256)
    /// The raw findings `Inspector.scanJSON` settles during a walk, and
    /// their verdicts (see `JSONFindingFilter`).
    let pending = PodBuffer<JSONFindingFilter.Pending>(capacity: 64)
    let verdicts = PodBuffer<JSONFindingFilter.Verdict>(capacity: 64)
    private let stack = UnsafeMutablePointer<Open>.allocate(capacity: JSONStringWalker.maxDepth)

    init() {}

    deinit { stack.deallocate() }

    /// Walks `raw`, recording `spans` and `containers`. Throws
    /// `.malformedJSON` at the first error. Offsets and depths use wrapping
    /// arithmetic (`&+`): they stay below `raw.count`, checked to be under
    /// `Int32.max`, and `maxDepth` (the overflow checks cost ≈ 2.5% of the
    /// walk).
    func walk(_ raw: UnsafeRawBufferPointer) throws(InspectionError) {
        spans.removeAll()
        escaped.removeAll(keepingCapacityUpTo: 1 << 16)
        containers.removeAll()
        var recorder = SpanRecorder(spans: spans, escaped: escaped, containers: containers)
        try walk(raw, into: &recorder)
    }

    /// Walks `raw`, telling `sink` about every string, number and
    /// container (see `JSONWalkSink`); the same validation as `walk(_:)`.
    /// Specialized for each sink.
    func walk<Sink: JSONWalkSink>(_ raw: UnsafeRawBufferPointer, into sink: inout Sink) throws(InspectionError) {
        let n = raw.count
        guard n < Int(Int32.max) else { throw .malformedJSON(offset: 0, reason: "body too large to index") }
        guard n > 0, let p = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .malformedJSON(offset: 0, reason: "expected a value")
        }
        let stack = self.stack
        var depth = 0
        var i = Self.skipSpace(p, n, 0)
        if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = Self.skipSpace(p, n, 3) }
        var key = false  // a member name and `:` come first
        value: while true {
            if key {
                // Written out here, not called: a call per member name cost a
                // fifth of the walk (the compiler would not inline it).
                key = false
                let top = stack + (depth &- 1)
                guard i < n, p[i] == UInt8(ascii: "\"") else { throw .malformedJSON(offset: i, reason: "expected a member name") }
                let end = try string(raw, p, i, isKey: true, own: .none, container: top.pointee.container, &sink)
                top.pointee.frame = .key(i &+ 1, end &- 1)
                let colon = Self.skipSpace(p, n, end)
                guard colon < n, p[colon] == UInt8(ascii: ":") else { throw .malformedJSON(offset: colon, reason: "expected ':'") }
                i = Self.skipSpace(p, n, colon &+ 1)
            }
            // A value at `i`.
            guard i < n else { throw .malformedJSON(offset: i, reason: "expected a value") }
            switch p[i] {
            case UInt8(ascii: "\""):
                i = try string(raw, p, i, isKey: false, own: depth > 0 ? stack[depth &- 1].frame : .none,
                               container: depth > 0 ? stack[depth &- 1].container : -1, &sink)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < Self.maxDepth else { throw .malformedJSON(offset: i, reason: "nesting too deep") }
                let isObject = p[i] == UInt8(ascii: "{")
                i = Self.skipSpace(p, n, i &+ 1)
                if i < n, p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i &+= 1
                    break
                }
                let opened = sink.open(parent: depth > 0 ? stack[depth &- 1].container : -1,
                                       position: depth > 0 ? stack[depth &- 1].frame : .none)
                let top = stack + depth
                top.initialize(to: Open(frame: isObject ? .key(0, 0) : .index(0), container: opened))
                depth &+= 1
                key = isObject
                continue value
            case UInt8(ascii: "t"): i = try Self.literal(raw, i, at: i, "true")
            case UInt8(ascii: "f"): i = try Self.literal(raw, i, at: i + 1, "alse")
            case UInt8(ascii: "n"): i = try Self.literal(raw, i, at: i, "null")
            default:
                let start = i
                i = try Self.number(p, n, i)
                sink.number(start: start, end: i, container: depth > 0 ? stack[depth &- 1].container : -1,
                            own: depth > 0 ? stack[depth &- 1].frame : .none)
            }
            // After a value: `,` and closers until the next value.
            while true {
                i = Self.skipSpace(p, n, i)
                guard depth > 0 else {
                    guard i == n else { throw .malformedJSON(offset: i, reason: "content after the top-level value") }
                    return
                }
                guard i < n else { throw .malformedJSON(offset: i, reason: "unterminated container") }
                let c = p[i]
                let top = stack + (depth &- 1)
                if top.pointee.frame.isArray {
                    if c == UInt8(ascii: ",") {
                        top.pointee.frame.a &+= 1
                        i = Self.skipSpace(p, n, i &+ 1)
                        continue value
                    }
                    guard c == UInt8(ascii: "]") else { throw .malformedJSON(offset: i, reason: "expected ',' or ']'") }
                } else {
                    if c == UInt8(ascii: ",") {
                        i = Self.skipSpace(p, n, i &+ 1)
                        key = true
                        continue value
                    }
                    guard c == UInt8(ascii: "}") else { throw .malformedJSON(offset: i, reason: "expected ',' or '}'") }
                }
                depth &-= 1
                i &+= 1
            }
        }
    }

    /// Validates the string whose opening quote is at `q`, records its
    /// span (a key's own frame is its own range), and returns the offset
    /// after the closing quote.
    @inline(__always)
    private func string<Sink: JSONWalkSink>(_ raw: UnsafeRawBufferPointer, _ p: UnsafePointer<UInt8>, _ q: Int, isKey: Bool,
                                            own: @autoclosure () -> JSONFrame, container: @autoclosure () -> Int32,
                                            _ sink: inout Sink) throws(InspectionError) -> Int {
        let n = raw.count
        var i = q &+ 1
        var isEscaped = false
        while true {
            i = Self.skipPlain(p, n, from: i)
            guard i < n else { throw .malformedJSON(offset: q, reason: "unterminated string") }
            let c = p[i]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                isEscaped = true
                i = try Self.escape(raw, i).next
            } else {
                i = try Self.character(raw, i)
            }
        }
        sink.string(start: q &+ 1, end: i, escaped: isEscaped, isKey: isKey, container: container(),
                    own: isKey ? .key(q &+ 1, i) : own())
        return i &+ 1
    }

    @inline(__always)
    static func skipSpace(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int) -> Int {
        var i = start
        while i < n {
            let c = p[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            i &+= 1
        }
        return i
    }

    /// The offset after the literal starting at `start` whose last four
    /// bytes, `word`, are at `at` (one 32-bit compare).
    @inline(__always)
    static func literal(_ raw: UnsafeRawBufferPointer, _ start: Int, at: Int, _ word: StaticString) throws(InspectionError) -> Int {
        guard at + 4 <= raw.count,
              raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)
                == UnsafeRawPointer(word.utf8Start).loadUnaligned(as: UInt32.self) else {
            throw .malformedJSON(offset: start, reason: "invalid literal")
        }
        return at + 4
    }

    /// RFC 8259 number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int) throws(InspectionError) -> Int {
        var i = start
        func digits() -> Int { let s = i; while i < n, ByteClass.isDigit(p[i]) { i &+= 1 }; return i &- s }
        if p[i] == UInt8(ascii: "-") { i &+= 1 }
        guard i < n, ByteClass.isDigit(p[i]) else { throw .malformedJSON(offset: start, reason: "expected a value") }
        if p[i] == UInt8(ascii: "0") { i &+= 1 } else { _ = digits() }
        if i < n, p[i] == UInt8(ascii: ".") {
            i &+= 1
            guard digits() > 0 else { throw .malformedJSON(offset: i, reason: "invalid number") }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i &+= 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i &+= 1 }
            guard digits() > 0 else { throw .malformedJSON(offset: i, reason: "invalid number") }
        }
        return i
    }
}
