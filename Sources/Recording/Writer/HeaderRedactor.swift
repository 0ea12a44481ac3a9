/// Replaces credential header values before a record reaches SQLite, so no
/// secret can land in the database or its WAL. Always redacted:
/// `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`; plus the
/// configured names (case-insensitive).
///
/// What stays is what helps an investigation without being a secret: the
/// authentication scheme (`Bearer [REDACTED]`) and cookie names
/// (`sid=[REDACTED]; theme=[REDACTED]`).
public struct HeaderRedactor: Sendable {
    public static let marker = "[REDACTED]"
    public static let alwaysRedacted = ["authorization", "proxy-authorization", "cookie", "set-cookie"]

    private let names: Set<String>
    /// The same names as lowercase UTF-8, for matching a header name
    /// without allocating (the writer checks every header of every record).
    private let lowerNames: [[UInt8]]

    /// `extra`: further header names to redact (e.g. `X-Api-Key`).
    public init(extra: [String] = []) {
        names = Set((Self.alwaysRedacted + extra).map { $0.lowercased() })
        lowerNames = names.map { Array($0.utf8) }
    }

    /// True if `name`'s value is replaced.
    public func redacts(_ name: String) -> Bool { matches(name) }

    /// The headers with every credential value replaced; order and
    /// duplicates kept.
    public func redact(_ headers: [HeaderField]) -> [HeaderField] {
        headers.map { h in redactedValue(h).map { HeaderField(h.name, $0) } ?? h }
    }

    /// The value to store for `h`: nil when it is stored as is, else its
    /// redacted form. Allocates only for a redacted header.
    func redactedValue(_ h: HeaderField) -> String? {
        guard matches(h.name) else { return nil }
        switch h.name.lowercased() {
        case "authorization", "proxy-authorization": return Self.keepScheme(h.value)
        case "cookie": return Self.cookieNames(h.value, separator: ";")
        case "set-cookie": return Self.cookieNames(Self.beforeFirst(";", h.value), separator: nil)
        default: return Self.marker
        }
    }

    /// ASCII case-insensitive membership in the redacted names. Header
    /// names are tokens (ASCII); a non-ASCII byte simply never matches a
    /// configured ASCII name, exactly as `lowercased()` comparison would.
    private func matches(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { n in
            for candidate in lowerNames where candidate.count == n.count {
                var equal = true
                for i in 0..<n.count {
                    var b = n[i]
                    if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                    if b != candidate[i] { equal = false; break }
                }
                if equal { return true }
            }
            return false
        }
    }

    /// `Bearer abc` → `Bearer [REDACTED]`; anything not shaped like
    /// `scheme credentials` is replaced whole.
    static func keepScheme(_ value: String) -> String {
        let v = value.drop { $0 == " " || $0 == "\t" }
        guard let space = v.firstIndex(of: " ") else { return marker }
        let scheme = v[..<space]
        let isToken = !scheme.isEmpty && scheme.count <= 32 && scheme.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
        return isToken ? "\(scheme) \(marker)" : marker
    }

    /// `a=1; b=2` → `a=[REDACTED]; b=[REDACTED]`. A cookie without `=` is
    /// replaced whole (it might be a bare token).
    static func cookieNames(_ value: String, separator: Character?) -> String {
        let parts = separator.map { value.split(separator: $0, omittingEmptySubsequences: true).map(String.init) } ?? [value]
        return parts.map { part -> String in
            let p = part.trimmingSpaces()
            guard let eq = p.firstIndex(of: "=") else { return marker }
            let name = p[..<eq].trimmingSpaces()
            return name.isEmpty ? marker : "\(name)=\(marker)"
        }.joined(separator: "; ")
    }

    private static func beforeFirst(_ c: Character, _ s: String) -> String {
        s.firstIndex(of: c).map { String(s[..<$0]) } ?? s
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
