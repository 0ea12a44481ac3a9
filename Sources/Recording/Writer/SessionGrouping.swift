/// How exchanges are grouped into sessions. Pure functions, used by the
/// writer thread; the rules, in order:
/// 1. `Mcp-Session-Id` when the request carries it;
/// 2. else the configured client session header, when present;
/// 3. else the verified subject, and a new session starts after an idle gap;
/// 4. else (anonymous routes) the client's IP address, with the same gap.
public enum SessionGrouping {
    public enum KeyKind: String, Sendable {
        case mcp, header, identity, address
    }

    /// What an exchange's session is keyed by.
    public struct Key: Hashable, Sendable {
        public var kind: KeyKind
        public var value: String
        public init(kind: KeyKind, value: String) {
            self.kind = kind
            self.value = value
        }
    }

    /// The most recent session with the exchange's key.
    public struct Candidate: Equatable, Sendable {
        public var id: Int64
        public var lastSeen: Int64
        public init(id: Int64, lastSeen: Int64) {
            self.id = id
            self.lastSeen = lastSeen
        }
    }

    public enum Decision: Equatable, Sendable {
        case join(Int64)
        case startNew
    }

    public static let mcpHeader = "mcp-session-id"

    /// The key for an exchange. `sessionHeader` is the configured client
    /// session header name, if any. Header values are trimmed; an empty value
    /// counts as absent.
    public static func key(headers: HeaderList, sessionHeader: String?, subject: String?, clientAddress: String) -> Key {
        if let v = value(of: mcpHeader, in: headers) { return Key(kind: .mcp, value: v) }
        if let name = sessionHeader?.lowercased(), !name.isEmpty, let v = value(of: name, in: headers) {
            return Key(kind: .header, value: v)
        }
        if let s = subject, !s.isEmpty { return Key(kind: .identity, value: s) }
        return Key(kind: .address, value: host(of: clientAddress))
    }

    /// Joins the latest session with the same key, unless the key is an
    /// identity or address and the exchange comes more than `idleGapMs`
    /// after that session was last seen. Explicit session IDs never expire.
    public static func decide(key: Key, at time: Int64, latest: Candidate?, idleGapMs: Int64) -> Decision {
        guard let latest else { return .startNew }
        switch key.kind {
        case .mcp, .header:
            return .join(latest.id)
        case .identity, .address:
            return time - latest.lastSeen <= idleGapMs ? .join(latest.id) : .startNew
        }
    }

    /// The first non-empty value (spaces trimmed) of a header named
    /// `lowerName`; allocates only for the value it returns.
    private static func value(of lowerName: String, in headers: HeaderList) -> String? {
        var found: String?
        var lower = lowerName
        lower.withUTF8 { l in
            headers.forEach { name, value in
                guard found == nil, asciiCaseInsensitiveEquals(name, UnsafeRawBufferPointer(l)) else { return }
                let v = String(decoding: value, as: UTF8.self).trimmingSpaces()
                if !v.isEmpty { found = v }
            }
        }
        return found
    }

    /// `name == lowerName` ignoring ASCII case, where `lowerName` is already
    /// lowercase; no allocation (this runs for every header of every start).
    static func asciiCaseInsensitiveEquals(_ name: UnsafeRawBufferPointer, _ lowerName: UnsafeRawBufferPointer) -> Bool {
        if name.count != lowerName.count { return false }
        for i in 0..<name.count {
            let a = name[i]
            let folded = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
            if folded != lowerName[i] { return false }
        }
        return true
    }

    /// `10.0.0.1:5555` → `10.0.0.1`; `[::1]:80` → `::1`.
    /// On the UTF-8 bytes (it runs for every anonymous start): no
    /// `Character` iteration.
    static func host(of address: String) -> String {
        let u = address.utf8
        if u.first == UInt8(ascii: "["), let close = u.firstIndex(of: UInt8(ascii: "]")) {
            return String(decoding: u[u.index(after: u.startIndex)..<close], as: UTF8.self)
        }
        var colons = 0
        var last = u.startIndex
        var i = u.startIndex
        while i != u.endIndex {
            if u[i] == UInt8(ascii: ":") {
                colons += 1
                last = i
            }
            i = u.index(after: i)
        }
        if colons == 1 { return String(decoding: u[..<last], as: UTF8.self) }
        return address
    }
}
