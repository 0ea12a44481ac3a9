/// A compiled glob, matched on bytes.
///
/// Path globs (`pathSegments: true`): `*` matches any run of bytes except
/// `/`, `**` (a whole segment) matches any run including `/`, so
/// `/v1/*/items` and `/admin/**` read as they do in most tools. A trailing
/// `/**` also matches the bare prefix: `/admin/**` covers `/admin` itself,
/// so a deny rule on a subtree cannot be side-stepped by its root. Value globs
/// (headers, query, body fields): `*` matches any run of bytes. Every other
/// byte matches itself; there is no `?` or character class.
///
/// Matching is a dynamic programme over (pattern token, byte): linear in
/// the subject for each token, never exponential.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case literal([UInt8])
        /// `*`: any run without `/` in path globs, any run in value globs.
        case star
        /// `**` in path globs: any run.
        case globstar
    }

    public let pattern: String
    public let pathSegments: Bool
    let tokens: [Token]
    /// For a path glob ending in `/**`: the glob without it.
    let bareRoot: [Token]?

    /// Compiles `pattern`; the compiler checks path-glob syntax beforehand
    /// (`PathGlobSyntax`).
    public init(_ pattern: String, pathSegments: Bool) {
        self.pattern = pattern
        self.pathSegments = pathSegments
        var tokens: [Token] = []
        var literal: [UInt8] = []
        let bytes = Array(pattern.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "*") {
                if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
                var run = 0
                while i < bytes.count, bytes[i] == UInt8(ascii: "*") { run += 1; i += 1 }
                tokens.append(pathSegments && run >= 2 ? .globstar : .star)
            } else {
                literal.append(bytes[i])
                i += 1
            }
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        self.tokens = tokens
        if pathSegments, tokens.count >= 2, tokens.last == .globstar, case .literal(var lit) = tokens[tokens.count - 2],
           lit.last == UInt8(ascii: "/"), lit.count > 1 || tokens.count > 2 {
            lit.removeLast()
            bareRoot = Array(tokens.dropLast(2)) + (lit.isEmpty ? [] : [.literal(lit)])
        } else {
            bareRoot = nil
        }
    }

    public var description: String { pattern }

    /// Whether the whole of `subject` matches.
    public func matches(_ subject: String) -> Bool {
        var s = subject
        return s.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the whole of `subject` matches.
    public func matches(_ subject: UnsafeRawBufferPointer) -> Bool {
        if Self.matches(tokens, subject, pathSegments) { return true }
        if let bareRoot { return Self.matches(bareRoot, subject, pathSegments) }
        return false
    }

    static func matches(_ tokens: [Token], _ subject: UnsafeRawBufferPointer, _ pathSegments: Bool) -> Bool {
        let n = subject.count
        // Fast path: one literal.
        if tokens.count == 1, case .literal(let lit) = tokens[0] {
            return lit.count == n && lit.withUnsafeBytes { $0.elementsEqual(subject) }
        }
        // reach[i]: the tokens consumed so far can end at byte i. Two rows, swapped per token.
        var reach = [Bool](repeating: false, count: n + 1)
        var next = [Bool](repeating: false, count: n + 1)
        reach[0] = true
        for token in tokens {
            for i in 0...n { next[i] = false }
            switch token {
            case .literal(let lit):
                let m = lit.count
                if m <= n {
                    for i in 0...(n - m) where reach[i] {
                        var ok = true
                        for k in 0..<m where subject[i + k] != lit[k] { ok = false; break }
                        if ok { next[i + m] = true }
                    }
                }
            case .star, .globstar:
                let crossesSlash = token == .globstar || !pathSegments
                var open = false
                for i in 0...n {
                    if reach[i] { open = true }
                    if open { next[i] = true }
                    if i < n, !crossesSlash, subject[i] == UInt8(ascii: "/") { open = false }
                }
            }
            swap(&reach, &next)
        }
        return reach[n]
    }

    /// Whether the glob has no wildcard (it matches exactly one string).
    public var isLiteral: Bool { tokens.allSatisfy { if case .literal = $0 { true } else { false } } }
}
