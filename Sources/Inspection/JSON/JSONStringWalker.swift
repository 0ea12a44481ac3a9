/// A single-pass JSON walker over raw bytes that yields every string (values
/// and member keys) *after* decoding escapes, with a map from decoded
/// offsets back to raw offsets, so a detector hit in `alice\u0040example.com`
/// can be masked in the raw body.
///
/// Why not `JSONParser`: inspection must not build a tree or `String`s for
/// every value of a large body. This walker keeps only a stack of
/// containers (key ranges and array indices) and two reused buffers.
///
/// It is strict enough to fail closed: malformed structure, bad escapes,
/// lone surrogates, raw control characters, invalid UTF-8, and nesting
/// deeper than `maxDepth` are errors with the raw byte offset. Numbers are
/// checked against the RFC 8259 grammar.
struct JSONStringWalker {
    static let maxDepth = 128

    enum Frame {
        /// An object; `key` is the raw content range of the current member key.
        case object(key: Range<Int>)
        case array(index: Int)
    }

    /// One decoded string, valid only during the visitor call.
    struct StringRef {
        /// The decoded UTF-8 bytes.
        let decoded: UnsafeRawBufferPointer
        /// Raw offset of the escape unit that produced each decoded byte,
        /// plus one sentinel (raw end of content). Empty when the string had
        /// no escapes: then decoded offset `i` is raw offset `rawContent.lowerBound + i`.
        let origin: UnsafeBufferPointer<Int32>
        /// The raw bytes between the quotes.
        let rawContent: Range<Int>
        let isKey: Bool
        /// The innermost enclosing container (index into `containers`), -1 at top level.
        var container: Int32 = -1

        /// Raw range covering the decoded range `r`, widened to whole escape units.
        func rawRange(_ r: Range<Int>) -> Range<Int> {
            if origin.isEmpty { return (rawContent.lowerBound + r.lowerBound)..<(rawContent.lowerBound + r.upperBound) }
            let lo = Int(origin[r.lowerBound])
            let unit = origin[r.upperBound - 1]
            var j = r.upperBound
            while j < decoded.count, origin[j] == unit { j += 1 }
            return lo..<Int(origin[j])
        }
    }

    /// One opened array or object: its parent container (-1 for the root)
    /// and its position there (the parent's frame when it was opened).
    /// Recorded for every container so JSON Pointers of findings can be
    /// rebuilt after the walk without walking again.
    struct Container {
        var parent: Int32
        var position: Frame?
    }

    var frames: [Frame] = []
    var decoded: [UInt8] = []
    var origin: [Int32] = []
    var containers: [Container] = []
    var open: [Int32] = []

    var currentContainer: Int32 { open.last ?? -1 }

    /// The frames (root first) of a value in `container` whose own frame is `own`.
    func frames(container: Int32, own: Frame?) -> [Frame] {
        var out: [Frame] = []
        if let own { out.append(own) }
        var c = container
        while c >= 0 {
            let k = containers[Int(c)]
            if let p = k.position { out.append(p) }
            c = k.parent
        }
        return out.reversed()
    }

    mutating func openContainer(_ frame: Frame) {
        containers.append(Container(parent: currentContainer, position: frames.last))
        open.append(Int32(containers.count - 1))
        frames.append(frame)
    }

    mutating func closeContainer() {
        frames.removeLast()
        open.removeLast()
    }

    /// Walks `raw`, calling `visit` for each string and `number` for each
    /// number token. `frames` describes the enclosing containers during the
    /// call (see `JSONPointer.make`).
    mutating func walk(_ raw: UnsafeRawBufferPointer,
                       _ visit: (StringRef, [Frame]) throws(InspectionError) -> Void,
                       number: (Range<Int>, [Frame], Int32) -> Void = { _, _, _ in }) throws(InspectionError) {
        guard raw.count < Int(Int32.max) else { throw .malformedJSON(offset: 0, reason: "body too large to index") }
        frames.removeAll(keepingCapacity: true)
        containers.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        var i = skipSpace(raw, 0)
        if raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { i = skipSpace(raw, 3) }
        var needValue = true
        while true {
            if needValue {
                guard i < raw.count else { throw .malformedJSON(offset: i, reason: "expected a value") }
                switch raw[i] {
                case UInt8(ascii: "{"):
                    guard frames.count < Self.maxDepth else { throw .malformedJSON(offset: i, reason: "nesting too deep") }
                    i = skipSpace(raw, i + 1)
                    if i < raw.count, raw[i] == UInt8(ascii: "}") {
                        i += 1
                        needValue = false
                        continue
                    }
                    openContainer(.object(key: 0..<0))
                    i = try member(raw, i, visit)
                    continue
                case UInt8(ascii: "["):
                    guard frames.count < Self.maxDepth else { throw .malformedJSON(offset: i, reason: "nesting too deep") }
                    i = skipSpace(raw, i + 1)
                    if i < raw.count, raw[i] == UInt8(ascii: "]") {
                        i += 1
                        needValue = false
                        continue
                    }
                    openContainer(.array(index: 0))
                    continue
                case UInt8(ascii: "\""):
                    i = try string(raw, i, isKey: false, visit)
                case UInt8(ascii: "t"): i = try literal(raw, i, "true")
                case UInt8(ascii: "f"): i = try literal(raw, i, "false")
                case UInt8(ascii: "n"): i = try literal(raw, i, "null")
                default:
                    let start = i
                    i = try self.number(raw, i)
                    number(start..<i, frames, currentContainer)
                }
                needValue = false
                continue
            }
            // After a value.
            i = skipSpace(raw, i)
            guard let top = frames.last else {
                guard i == raw.count else { throw .malformedJSON(offset: i, reason: "content after the top-level value") }
                return
            }
            guard i < raw.count else { throw .malformedJSON(offset: i, reason: "unterminated container") }
            let c = raw[i]
            switch top {
            case .object:
                if c == UInt8(ascii: ",") {
                    i = try member(raw, skipSpace(raw, i + 1), visit)
                    needValue = true
                } else if c == UInt8(ascii: "}") {
                    closeContainer()
                    i += 1
                } else {
                    throw .malformedJSON(offset: i, reason: "expected ',' or '}'")
                }
            case .array(let index):
                if c == UInt8(ascii: ",") {
                    frames[frames.count - 1] = .array(index: index + 1)
                    i = skipSpace(raw, i + 1)
                    needValue = true
                } else if c == UInt8(ascii: "]") {
                    closeContainer()
                    i += 1
                } else {
                    throw .malformedJSON(offset: i, reason: "expected ',' or ']'")
                }
            }
        }
    }

    /// Parses `"key" :` at `i`, records the key in the top frame, and
    /// returns the offset of the member value.
    mutating func member(_ raw: UnsafeRawBufferPointer, _ i: Int,
                         _ visit: (StringRef, [Frame]) throws(InspectionError) -> Void) throws(InspectionError) -> Int {
        guard i < raw.count, raw[i] == UInt8(ascii: "\"") else {
            throw .malformedJSON(offset: i, reason: "expected a member name")
        }
        let end = try string(raw, i, isKey: true, visit)
        frames[frames.count - 1] = .object(key: (i + 1)..<(end - 1))
        let colon = skipSpace(raw, end)
        guard colon < raw.count, raw[colon] == UInt8(ascii: ":") else {
            throw .malformedJSON(offset: colon, reason: "expected ':'")
        }
        return skipSpace(raw, colon + 1)
    }

    func skipSpace(_ raw: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var i = start
        while i < raw.count {
            let c = raw[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            i += 1
        }
        return i
    }

    func literal(_ raw: UnsafeRawBufferPointer, _ i: Int, _ word: StaticString) throws(InspectionError) -> Int {
        guard raw.hasPrefix(word, at: i) else { throw .malformedJSON(offset: i, reason: "invalid literal") }
        return i + word.utf8CodeUnitCount
    }

    /// RFC 8259 number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    func number(_ raw: UnsafeRawBufferPointer, _ start: Int) throws(InspectionError) -> Int {
        var i = start
        func digits() -> Int { let s = i; while i < raw.count, ByteClass.isDigit(raw[i]) { i += 1 }; return i - s }
        if i < raw.count, raw[i] == UInt8(ascii: "-") { i += 1 }
        guard i < raw.count, ByteClass.isDigit(raw[i]) else { throw .malformedJSON(offset: start, reason: "expected a value") }
        if raw[i] == UInt8(ascii: "0") { i += 1 } else { _ = digits() }
        if i < raw.count, raw[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw .malformedJSON(offset: i, reason: "invalid number") }
        }
        if i < raw.count, raw[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < raw.count, raw[i] == UInt8(ascii: "+") || raw[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw .malformedJSON(offset: i, reason: "invalid number") }
        }
        return i
    }
}
