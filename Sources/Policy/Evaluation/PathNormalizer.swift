/// The form of the request path that path globs are matched against, so a
/// rule on `/admin/**` cannot be bypassed with `/%61dmin/`, `/x/../admin/`
/// or `/admin/./`: percent-encoded unreserved characters (`A-Z a-z 0-9 - . _ ~`)
/// are decoded, other escapes have their hex upper-cased, and dot segments
/// are removed (RFC 3986 §5.2.4, §6.2.2). `%2F` stays encoded: it is not a
/// segment separator to the upstream either. Runs once per evaluated request.
public enum PathNormalizer {
    public static func normalize(_ path: Substring) -> String {
        let src = Array(path.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(src.count)
        var i = 0
        while i < src.count {
            let b = src[i]
            if b == UInt8(ascii: "%"), i + 2 < src.count, let h = hex(src[i + 1]), let l = hex(src[i + 2]) {
                let v = h << 4 | l
                if isUnreserved(v) {
                    decoded.append(v)
                } else {
                    decoded.append(b)
                    decoded.append(upper(src[i + 1]))
                    decoded.append(upper(src[i + 2]))
                }
                i += 3
            } else {
                decoded.append(b)
                i += 1
            }
        }
        return String(decoding: removeDotSegments(decoded), as: UTF8.self)
    }

    /// RFC 3986 §5.2.4 over `/`-separated segments of an absolute path.
    static func removeDotSegments(_ p: [UInt8]) -> [UInt8] {
        guard p.first == UInt8(ascii: "/") else { return p }
        let segments = p.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var out: [ArraySlice<UInt8>] = []
        var trailingSlash = false
        for (k, s) in segments.enumerated() {
            let last = k == segments.count - 1
            if s.elementsEqual([UInt8(ascii: ".")]) {
                trailingSlash = last
            } else if s.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                if !out.isEmpty { out.removeLast() }
                trailingSlash = last
            } else {
                out.append(s)
                trailingSlash = false
            }
        }
        var result: [UInt8] = [UInt8(ascii: "/")]
        for (k, s) in out.enumerated() {
            if k > 0 { result.append(UInt8(ascii: "/")) }
            result.append(contentsOf: s)
        }
        if trailingSlash, !out.isEmpty { result.append(UInt8(ascii: "/")) }
        return result
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func upper(_ b: UInt8) -> UInt8 {
        b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f") ? b - 32 : b
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }
}
