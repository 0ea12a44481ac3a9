/// Builds RFC 6901 JSON Pointers (`/users/0/email`) for findings. Only
/// called when a string has a finding, so clean bodies build no pointers.
enum JSONPointer {
    static func make(_ raw: UnsafeRawBufferPointer, _ frames: [JSONStringWalker.Frame]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(16 * frames.count)
        for f in frames {
            out.append(UInt8(ascii: "/"))
            switch f {
            case .array(let index):
                appendDecimal(index, to: &out)
            case .object(let key):
                let plain = !raw[key].contains(UInt8(ascii: "\\"))
                let name = plain ? Array(raw[key]) : JSONUnescape.decode(raw, key)
                for b in name {
                    if b == UInt8(ascii: "~") { out.append(0x7E); out.append(0x30) }
                    else if b == UInt8(ascii: "/") { out.append(0x7E); out.append(0x31) }
                    else { out.append(b) }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the decimal digits of `n` (an array index, so not negative).
    static func appendDecimal(_ n: Int, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any Int
        withUnsafeMutableBytes(of: &digits) { d in
            var k = d.count, v = n
            repeat {
                k -= 1
                d[k] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            out.append(contentsOf: d[k...])
        }
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
