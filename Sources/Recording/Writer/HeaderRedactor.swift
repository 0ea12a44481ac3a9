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

    /// The redacted names as lowercase UTF-8, `alwaysRedacted` first (in
    /// that order), back to back, and each one's end: matching a header
    /// name walks two flat arrays without allocating (the writer checks
    /// every header of every record).
    private let flatNames: [UInt8]
    private let nameEnds: [Int]
    /// Bit `n` set when some redacted name is `n` bytes long (names of 64
    /// bytes or more are all tried): most headers are passed over on their
    /// length alone.
    private let lengths: UInt64

    /// `extra`: further header names to redact (e.g. `X-Api-Key`).
    public init(extra: [String] = []) {
        var names: [[UInt8]] = []
        for n in Self.alwaysRedacted + extra.map({ $0.lowercased() }) where !names.contains(Array(n.utf8)) {
            names.append(Array(n.utf8))
        }
        flatNames = names.flatMap { $0 }
        var ends: [Int] = []
        var end = 0
        for n in names {
            end += n.count
            ends.append(end)
        }
        nameEnds = ends
        lengths = names.reduce(0) { $0 | ($1.count < 64 ? 1 << UInt64($1.count) : 0) }
    }

    /// True if `name`'s value is replaced.
    public func redacts(_ name: String) -> Bool { match(name) != nil }

    /// The headers with every credential value replaced; order and
    /// duplicates kept.
    public func redact(_ headers: [HeaderField]) -> [HeaderField] {
        headers.map { h in redactedValue(h).map { HeaderField(h.name, $0) } ?? h }
    }

    /// The value to store for `h`: nil when it is stored as is, else its
    /// redacted form. Allocates only for a redacted header.
    func redactedValue(_ h: HeaderField) -> String? {
        var name = h.name
        return name.withUTF8 { n in
            redactedValue(name: UnsafeRawBufferPointer(n)) { h.value }
        }
    }

    /// The same for a field as bytes: `value` is asked for (and a string
    /// made) only when the name is one to redact.
    func redactedValue(name: UnsafeRawBufferPointer, value: () -> String) -> String? {
        // Indexes into the names, whose first entries are `alwaysRedacted`.
        switch match(name) {
        case nil: return nil
        case 0, 1: return Self.keepScheme(value())
        case 2: return Self.cookieNames(value(), separator: ";")
        case 3: return Self.cookieNames(Self.beforeFirst(";", value()), separator: nil)
        default: return Self.marker
        }
    }

    /// The index among the redacted names of `name`, matched ASCII
    /// case-insensitively, or nil. Header names are tokens (ASCII); a
    /// non-ASCII byte simply never matches a configured ASCII name, exactly
    /// as `lowercased()` comparison would.
    private func match(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { match(UnsafeRawBufferPointer($0)) }
    }

    private func match(_ n: UnsafeRawBufferPointer) -> Int? {
        if n.count < 64 && lengths & (1 << UInt64(n.count)) == 0 { return nil }
        return flatNames.withUnsafeBufferPointer { names in
            nameEnds.withUnsafeBufferPointer { ends in
                var start = 0
                for index in 0..<ends.count {
                    let end = ends[index]
                    defer { start = end }
                    guard end - start == n.count else { continue }
                    var equal = true
                    for i in 0..<n.count {
                        var b = n[i]
                        if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                        if b != names[start + i] { equal = false; break }
                    }
                    if equal { return index }
                }
                return nil
            }
        }
    }

    /// `Bearer abc` → `Bearer [REDACTED]`; anything not shaped like
    /// `scheme credentials` is replaced whole. Works on the UTF-8 bytes
    /// (spaces, tabs and the scheme's token characters are ASCII), without
    /// Character iteration: it runs for every recorded request.
    static func keepScheme(_ value: String) -> String {
        var value = value
        return value.withUTF8 { v -> String in
            var start = 0
            while start < v.count && (v[start] == 0x20 || v[start] == 0x09) { start += 1 }
            var end = start
            while end < v.count && v[end] != 0x20 { end += 1 }
            let length = end - start
            guard end < v.count, length > 0, length <= 32 else { return marker }
            for i in start..<end {
                let b = v[i]
                let token = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                    || b == 0x2D || b == 0x5F
                if !token { return marker }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: v[start..<end]), as: UTF8.self) + " " + marker
        }
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
