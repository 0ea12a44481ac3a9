/// Builds RFC 6901 JSON Pointers (`/users/0/email`) for findings. Only
/// called when a string has a finding, so clean bodies build no pointers.
enum JSONPointer {
    static func make(_ raw: UnsafeRawBufferPointer, _ frames: [JSONStringWalker.Frame]) -> String {
        var out: [UInt8] = []
        for f in frames {
            out.append(UInt8(ascii: "/"))
            switch f {
            case .array(let index):
                out.append(contentsOf: String(index).utf8)
            case .object(let key):
                for b in JSONUnescape.decode(raw, key) {
                    if b == UInt8(ascii: "~") { out.append(contentsOf: [0x7E, 0x30]) }
                    else if b == UInt8(ascii: "/") { out.append(contentsOf: [0x7E, 0x31]) }
                    else { out.append(b) }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Decodes the content of an already validated JSON string (between the
/// quotes). Used off the hot path: pointers, masking replacements.
enum JSONUnescape {
    static func decode(_ raw: UnsafeRawBufferPointer, _ r: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var i = r.lowerBound
        while i < r.upperBound {
            if raw[i] == UInt8(ascii: "\\"), let e = try? JSONStringWalker.escape(raw, i) {
                JSONStringWalker.utf8(e.scalar) { out.append($0) }
                i = e.next
            } else {
                out.append(raw[i])
                i += 1
            }
        }
        return out
    }
}
