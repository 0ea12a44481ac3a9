/// RFC 9110 tokens and Gatehouse names.
enum TokenSyntax {
    /// `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
    /// "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA`
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// A non-empty run of `tchar`.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    /// Listener and route names: 1–64 of `A-Z a-z 0-9 . _ -`.
    static func isName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy {
            HostSyntax.isLabelByte($0 >= 65 && $0 <= 90 ? $0 + 32 : $0) || $0 == UInt8(ascii: ".")
        }
    }

    static let nameRule = "1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'"

    /// Headers that frame messages or are hop-by-hop; the request ID cannot use them.
    static let reservedHeaders: Set<String> = [
        "connection", "content-length", "host", "keep-alive", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]
}
