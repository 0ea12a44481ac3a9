/// Decodes a query string (`a=1&b=x+y&c`) into name/value pairs for query
/// conditions: split on `&`, then on the first `=`; `+` is a space and
/// `%XX` is decoded (a `%` without two hex digits stays literal, as servers
/// read it). A parameter without `=` has the empty value. Invalid UTF-8
/// decodes with U+FFFD, which then matches nothing a policy names.
public enum QueryParameters {
    public static func parse(_ query: Substring?) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        var out: [(String, String)] = []
        for part in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                out.append((decode(part[part.startIndex..<eq]), decode(part[part.index(after: eq)...])))
            } else {
                out.append((decode(part[...]), ""))
            }
        }
        return out
    }

    static func decode(_ s: Substring.UTF8View.SubSequence) -> String {
        let b = Array(s)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "+") {
                out.append(0x20)
                i += 1
            } else if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = hexValue(b[i + 1]), let l = hexValue(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
