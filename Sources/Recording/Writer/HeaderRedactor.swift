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

    /// `extra`: further header names to redact (e.g. `X-Api-Key`).
    public init(extra: [String] = []) {
        names = Set((Self.alwaysRedacted + extra).map { $0.lowercased() })
    }

    /// True if `name`'s value is replaced.
    public func redacts(_ name: String) -> Bool { names.contains(name.lowercased()) }

    /// The headers with every credential value replaced; order and
    /// duplicates kept.
    public func redact(_ headers: [HeaderField]) -> [HeaderField] {
        headers.map { h in
            let lower = h.name.lowercased()
            guard names.contains(lower) else { return h }
            switch lower {
            case "authorization", "proxy-authorization": return HeaderField(h.name, Self.keepScheme(h.value))
            case "cookie": return HeaderField(h.name, Self.cookieNames(h.value, separator: ";"))
            case "set-cookie": return HeaderField(h.name, Self.cookieNames(Self.beforeFirst(";", h.value), separator: nil))
            default: return HeaderField(h.name, Self.marker)
            }
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
