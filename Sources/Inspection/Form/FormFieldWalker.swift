/// Walks `application/x-www-form-urlencoded` bodies and URL query strings:
/// fields split on `&`, name and value on the first `=`, each decoded
/// (`+` is a space, `%XX` a byte) with a map from decoded offsets back to
/// raw offsets, like `JSONStringWalker`, so `alice%40example.com` is an
/// email and can be masked in place.
///
/// Decoding is lenient the way servers are: a `%` not followed by two hex
/// digits stays literal. Decoded bytes need not be UTF-8; detectors work
/// on bytes.
struct FormFieldWalker {
    var decoded: [UInt8] = []
    var origin: [Int32] = []

    /// Calls `visit(string, nameRange)` for each field name and value;
    /// `nameRange` is the raw range of the field's name.
    mutating func walk(_ raw: UnsafeRawBufferPointer,
                       _ visit: (JSONStringWalker.StringRef, Range<Int>) -> Void) {
        var start = 0
        while start <= raw.count {
            var end = start
            while end < raw.count, raw[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                var eq = start
                while eq < end, raw[eq] != UInt8(ascii: "=") { eq += 1 }
                let name = start..<eq
                decode(raw, name, isKey: true, name: name, visit)
                if eq < end { decode(raw, (eq + 1)..<end, isKey: false, name: name, visit) }
            }
            start = end + 1
        }
    }

    mutating func decode(_ raw: UnsafeRawBufferPointer, _ r: Range<Int>, isKey: Bool, name: Range<Int>,
                         _ visit: (JSONStringWalker.StringRef, Range<Int>) -> Void) {
        if r.isEmpty { return }
        decoded.removeAll(keepingCapacity: true)
        origin.removeAll(keepingCapacity: true)
        var i = r.lowerBound
        var escaped = false
        while i < r.upperBound {
            let c = raw[i]
            if c == UInt8(ascii: "%"), i + 2 < r.upperBound, ByteClass.isHex(raw[i + 1]), ByteClass.isHex(raw[i + 2]) {
                decoded.append(UInt8(ByteClass.hexValue(raw[i + 1]) << 4 | ByteClass.hexValue(raw[i + 2])))
                origin.append(Int32(i))
                i += 3
                escaped = true
                continue
            }
            if c == UInt8(ascii: "+") { escaped = true }
            decoded.append(c == UInt8(ascii: "+") ? 0x20 : c)
            origin.append(Int32(i))
            i += 1
        }
        origin.append(Int32(r.upperBound))
        if !escaped {
            visit(JSONStringWalker.StringRef(decoded: UnsafeRawBufferPointer(rebasing: raw[r]),
                                             origin: UnsafeBufferPointer(start: nil, count: 0), rawContent: r, isKey: isKey), name)
            return
        }
        let d = decoded, o = origin
        d.withUnsafeBytes { db in
            o.withUnsafeBufferPointer { ob in
                visit(JSONStringWalker.StringRef(decoded: db, origin: ob, rawContent: r, isKey: isKey), name)
            }
        }
    }

    /// Decodes a raw range (for masking replacements).
    static func decode(_ raw: UnsafeRawBufferPointer, _ r: Range<Int>) -> [UInt8] {
        var w = FormFieldWalker()
        var out: [UInt8] = []
        w.decode(raw, r, isKey: false, name: r) { s, _ in out = Array(s.decoded) }
        return out
    }

    /// Percent-encodes replacement text: unreserved bytes as is, space as
    /// `+`, everything else `%XX`.
    static func encode(_ bytes: [UInt8], to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for b in bytes {
            if ByteClass.isAlnum(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "~") || b == UInt8(ascii: "*") {
                out.append(b)
            } else if b == 0x20 {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
    }
}
