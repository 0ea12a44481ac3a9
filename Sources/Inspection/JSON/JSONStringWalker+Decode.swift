extension JSONStringWalker {
    /// One string's text after decoding escapes, with the way back to raw
    /// offsets. Valid until the walker (or `FormFieldWalker`) decodes the
    /// next string.
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

    /// The text of the string `span` (recorded by the last walk of `raw`):
    /// a view of `raw` when it has no escapes, else decoded into `decoded`
    /// with `origin` (each byte of a multi-byte character or escape maps to
    /// the start of its unit).
    func string(_ raw: UnsafeRawBufferPointer, _ span: JSONSpan) -> StringRef {
        let content = span.range
        guard span.kind == .escapedString else {
            return StringRef(decoded: UnsafeRawBufferPointer(rebasing: raw[content]),
                             origin: UnsafeBufferPointer(start: nil, count: 0), rawContent: content, isKey: span.isKey)
        }
        decoded.removeAll(keepingCapacityUpTo: 1 << 16)
        origin.removeAll(keepingCapacityUpTo: 1 << 16)
        let decoded = self.decoded, origin = self.origin
        // A decoded string is never longer than its raw content (an escape
        // decodes to fewer bytes than it has), plus the origin sentinel.
        decoded.reserveMore(content.count)
        origin.reserveMore(content.count + 1)
        let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var i = content.lowerBound
        while i < content.upperBound {
            let c = p[i]
            let next: Int
            if c == UInt8(ascii: "\\"), let e = try? Self.escape(raw, i) {  // validated by the walk: never nil
                let unit = Int32(i)
                Self.utf8(e.scalar) { decoded.appendUnchecked($0); origin.appendUnchecked(unit) }
                next = e.next
            } else if c < 0x80 {
                next = Swift.max(Self.skipPlain(p, content.upperBound, from: i), i + 1)
                for k in i..<next {
                    decoded.appendUnchecked(p[k])
                    origin.appendUnchecked(Int32(truncatingIfNeeded: k))
                }
            } else {
                next = i + (UTF8Check.sequenceLength(raw, i, limit: content.upperBound) ?? 1)
                for k in i..<next {
                    decoded.appendUnchecked(p[k])
                    origin.appendUnchecked(Int32(i))
                }
            }
            i = next
        }
        origin.appendUnchecked(Int32(content.upperBound))
        return StringRef(decoded: UnsafeRawBufferPointer(start: decoded.base, count: decoded.count),
                         origin: origin.elements, rawContent: content, isKey: span.isKey)
    }

    /// The frames (root first) of a value in `container` whose own frame is `own`.
    func frames(container: Int32, own: Frame?) -> [Frame] {
        var out: [Frame] = []
        if let own { out.append(own) }
        var c = container
        while c >= 0 {
            let k = containers[Int(c)]
            if let p = k.position.frame { out.append(p) }
            c = k.parent
        }
        return out.reversed()
    }

    /// Walks `raw`, then calls `visit` for each string (keys and values, in
    /// document order) with its decoded text and its frames, root first,
    /// ending with its own (a key's own frame is `.object(key:)` of itself).
    /// For tests and tools; `Inspector.scanJSON` reads `spans` directly.
    func walk(_ raw: UnsafeRawBufferPointer,
              _ visit: (StringRef, [Frame]) throws(InspectionError) -> Void) throws(InspectionError) {
        try walk(raw)
        for k in 0..<spans.count where spans[k].kind != .number {
            let s = spans[k]
            try visit(string(raw, s), frames(container: s.container, own: s.frame.frame))
        }
    }
}
