import GatehouseCore

/// Finds the raw byte ranges of the string and number leaves that field
/// paths select (a selected object or array selects every leaf under it),
/// for field masks. Runs only when a field mask applies, on a body that
/// `JSONParser` has already accepted, so it skips validation.
struct JSONLeafLocator {
    let raw: UnsafeRawBufferPointer
    let paths: [FieldPath]

    struct Leaf {
        /// String content (between the quotes) or the whole number token.
        var range: Range<Int>
        var isNumber: Bool
        /// Index into `paths` of the first path that selected it.
        var path: Int
    }

    private enum Component { case key(String), index(Int) }

    func leaves() -> [Leaf] {
        var out: [Leaf] = []
        var stack: [Component] = []
        var i = 0
        value(&i, &stack, &out)
        return out
    }

    private func skipSpace(_ i: inout Int) {
        while i < raw.count, raw[i] == 0x20 || raw[i] == 0x0A || raw[i] == 0x0D || raw[i] == 0x09 { i += 1 }
    }

    /// End of the string whose opening quote is at `i` (index after the closing quote).
    private func stringEnd(_ i: Int) -> Int {
        var j = i + 1
        while j < raw.count {
            if raw[j] == UInt8(ascii: "\\") { j += 2; continue }
            if raw[j] == UInt8(ascii: "\"") { return j + 1 }
            j += 1
        }
        return raw.count
    }

    private func value(_ i: inout Int, _ stack: inout [Component], _ out: inout [Leaf]) {
        skipSpace(&i)
        guard i < raw.count else { return }
        switch raw[i] {
        case UInt8(ascii: "{"):
            i += 1
            while true {
                skipSpace(&i)
                guard i < raw.count, raw[i] == UInt8(ascii: "\"") else { i += 1; return }  // '}'
                let end = stringEnd(i)
                let key = decodeKey(i..<end)
                i = end
                skipSpace(&i)
                i += 1  // ':'
                stack.append(.key(key))
                value(&i, &stack, &out)
                stack.removeLast()
                skipSpace(&i)
                if i < raw.count, raw[i] == UInt8(ascii: ",") { i += 1 } else { i += 1; return }
            }
        case UInt8(ascii: "["):
            i += 1
            skipSpace(&i)
            if i < raw.count, raw[i] == UInt8(ascii: "]") { i += 1; return }
            var index = 0
            while true {
                stack.append(.index(index))
                value(&i, &stack, &out)
                stack.removeLast()
                index += 1
                skipSpace(&i)
                if i < raw.count, raw[i] == UInt8(ascii: ",") { i += 1 } else { i += 1; return }
            }
        case UInt8(ascii: "\""):
            let end = stringEnd(i)
            if let p = selectingPath(stack) { out.append(Leaf(range: (i + 1)..<(end - 1), isNumber: false, path: p)) }
            i = end
        default:
            let start = i
            while i < raw.count {
                let b = raw[i]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
                i += 1
            }
            let first = raw[start]
            if first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39), let p = selectingPath(stack) {
                out.append(Leaf(range: start..<i, isNumber: true, path: p))
            }
        }
    }

    private func decodeKey(_ r: Range<Int>) -> String {
        let bytes = Array(raw[r])
        if !bytes.contains(UInt8(ascii: "\\")) { return String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONParser.parse(bytes))?.stringValue ?? ""
    }

    /// The first path that selects the leaf at `stack` or one of its ancestors.
    private func selectingPath(_ stack: [Component]) -> Int? {
        for (k, p) in paths.enumerated() where p.segments.count <= stack.count {
            var ok = true
            for (segment, component) in zip(p.segments, stack) {
                switch (segment, component) {
                case (.wildcard, _): continue
                case (.key(let a), .key(let b)): ok = a == b
                case (.key(let a), .index(let n)): ok = JSONSelection.arrayIndex(a) == n
                }
                if !ok { break }
            }
            if ok { return k }
        }
        return nil
    }
}
