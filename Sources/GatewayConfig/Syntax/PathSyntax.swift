/// Validation of URL paths used in `path_prefix` and upstream base paths.
enum PathSyntax {
    /// `nil` if `path` starts with `/` and contains only RFC 3986 path
    /// characters (unreserved, sub-delims, `:`, `@`, `/`, and well-formed
    /// `%XX`), with no empty, `.` or `..` segments except a trailing `/`.
    static func problem(_ path: String) -> String? {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return "must start with '/'" }
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else {
                    return "has a '%' that is not followed by two hex digits"
                }
                i += 3
                continue
            }
            guard isPathByte(byte) else {
                if byte == UInt8(ascii: "?") { return "must not contain a query ('?')" }
                if byte == UInt8(ascii: "#") { return "must not contain a fragment ('#')" }
                if byte >= 0x21 && byte < 0x7F {
                    return "contains '\(Character(Unicode.Scalar(byte)))', which must be percent-encoded"
                }
                return "contains a space, control or non-ASCII character, which must be percent-encoded"
            }
            i += 1
        }
        let segments = bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for (n, segment) in segments.enumerated() {
            if segment.isEmpty && n != segments.count - 1 { return "must not contain '//'" }
            if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) {
                return "must not contain '.' or '..' segments"
            }
        }
        return nil
    }

    static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=:@/".utf8.contains(byte)
        }
    }

    static func isHex(_ byte: UInt8) -> Bool {
        IPAddressLiteral.isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
