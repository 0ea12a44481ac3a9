/// 256-entry byte classification table shared by every parser in the module.
///
/// Each entry is a bit set of the classes below, so validating a byte is a single
/// load plus a mask test. Hot loops load `ByteClass.shared.base` once and index it
/// without bounds checks (a `UInt8` index is always within the 256 entries).
@usableFromInline
enum ByteClass {
    /// RFC 9110 `tchar` (token characters: method, field names, codings).
    static let tchar: UInt8 = 1 << 0
    /// RFC 9110 field-value bytes: VCHAR, obs-text (0x80-0xFF), SP, HTAB.
    static let fieldValue: UInt8 = 1 << 1
    /// Bytes allowed raw in an origin-form path: RFC 3986 pchar (minus '%', handled apart) and '/'.
    static let pathChar: UInt8 = 1 << 2
    /// Extra bytes tolerated raw in the query part only: '?', '[', ']', '{', '}', '|', '^', '`'.
    static let queryExtra: UInt8 = 1 << 3
    /// RFC 3986 reg-name subset accepted in Host: ALPHA DIGIT '-' '.' '_' '~'.
    static let hostChar: UInt8 = 1 << 4
    /// HEXDIG.
    static let hex: UInt8 = 1 << 5
    /// DIGIT.
    static let digit: UInt8 = 1 << 6

    /// Pointer to the immutable table, allocated once and never freed.
    static let shared = ByteTable(ByteClass.table)

    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        func mark(_ bytes: String, _ cls: UInt8) { for b in bytes.utf8 { t[Int(b)] |= cls } }
        let alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        let digits = "0123456789"
        mark(alpha + digits + "!#$%&'*+-.^_`|~", tchar)
        for b in 0x21...0x7E { t[b] |= fieldValue }
        for b in 0x80...0xFF { t[b] |= fieldValue }
        t[0x20] |= fieldValue
        t[0x09] |= fieldValue
        // unreserved / sub-delims / ':' '@' and '/'
        mark(alpha + digits + "-._~" + "!$&'()*+,;=" + ":@" + "/", pathChar)
        mark("?[]{}|^`", queryExtra)
        mark(alpha + digits + "-._~", hostChar)
        mark(digits + "abcdefABCDEF", hex)
        mark(digits, digit)
        return t
    }()
}

/// Immutable 256-byte table behind a raw pointer, so lookups carry no bounds check.
@usableFromInline
struct ByteTable: @unchecked Sendable {
    // Safety: written once during initialisation, read-only afterwards, never deallocated.
    let base: UnsafePointer<UInt8>

    init(_ bytes: [UInt8]) {
        precondition(bytes.count == 256)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        p.initialize(from: bytes, count: 256)
        base = UnsafePointer(p)
    }

    @inline(__always) subscript(_ b: UInt8) -> UInt8 { base[Int(b)] }
}

@usableFromInline let asciiCR: UInt8 = 0x0D
@usableFromInline let asciiLF: UInt8 = 0x0A
@usableFromInline let asciiSP: UInt8 = 0x20
@usableFromInline let asciiHTAB: UInt8 = 0x09
@usableFromInline let asciiColon: UInt8 = 0x3A

extension UInt8 {
    @inline(__always) var isOWS: Bool { self == asciiSP || self == asciiHTAB }
    @inline(__always) var asciiLowercased: UInt8 { (self &- 0x41) < 26 ? self | 0x20 : self }
    @inline(__always) var hexValue: UInt8? {
        switch self {
        case 0x30...0x39: return self &- 0x30
        case 0x41...0x46: return self &- 0x41 &+ 10
        case 0x61...0x66: return self &- 0x61 &+ 10
        default: return nil
        }
    }
}

/// Case-insensitive ASCII comparison of raw bytes against a (normally lower-case) name.
@inline(__always)
func bytesEqualLowercase(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                         _ lower: UnsafeBufferPointer<UInt8>) -> Bool {
    if end - start != lower.count { return false }
    var i = 0
    while i < lower.count {
        if p[start + i].asciiLowercased != lower[i].asciiLowercased { return false }
        i += 1
    }
    return true
}

/// Runs `body` with the lower-case UTF-8 bytes of a string literal/name without copying
/// when the string is native (the common case).
@inline(__always)
func withLowercaseName<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = name.utf8.withContiguousStorageIfAvailable(body) { return r }
    let copy = Array(name.utf8)
    return copy.withUnsafeBufferPointer(body)
}
