/// A real SQL tokenizer over bytes: `--` and `/* */` comments (nested per
/// dialect), `'…'` strings with `''` escapes, `E'…'` strings with
/// backslash escapes, `N'`/`X'`/`B'`/`U&'` prefixes, quoted identifiers
/// (`"…"` with `""`, `` `…` `` with ``` `` ```, `[…]` with `]]`), dollar
/// quoting `$tag$…$tag$`, numbers, parameters, and punctuation.
///
/// Never fails: an unterminated string, identifier or comment extends to
/// the end of the input and sets `unterminated`, which the classifier
/// reports as a flag.
struct SQLTokenizer {
    let b: UnsafeRawBufferPointer
    let dialect: SQLDialect
    var i = 0
    var unterminated = false

    init(_ bytes: UnsafeRawBufferPointer, dialect: SQLDialect) {
        b = bytes
        self.dialect = dialect
    }

    static func tokens(_ bytes: UnsafeRawBufferPointer, dialect: SQLDialect) -> (tokens: [SQLToken], unterminated: Bool) {
        var t = SQLTokenizer(bytes, dialect: dialect)
        var out: [SQLToken] = []
        while let token = t.next() { out.append(token) }
        return (out, t.unterminated)
    }

    @inline(__always) func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }

    @inline(__always) static func isIdentStart(_ c: UInt8) -> Bool { ByteClass.isAlpha(c) || c == 0x5F || c >= 0x80 }
    @inline(__always) static func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || ByteClass.isDigit(c) || c == 0x24 }

    mutating func next() -> SQLToken? {
        skipTrivia()
        guard i < b.count else { return nil }
        let start = i
        let c = b[i]
        switch c {
        case UInt8(ascii: ";"): i += 1; return SQLToken(kind: .semicolon, range: start..<i)
        case UInt8(ascii: "("): i += 1; return SQLToken(kind: .openParen, range: start..<i)
        case UInt8(ascii: ")"): i += 1; return SQLToken(kind: .closeParen, range: start..<i)
        case UInt8(ascii: "'"):
            quoted(close: c, backslash: dialect.backslashEscapes)
            return SQLToken(kind: .string, range: start..<i)
        case UInt8(ascii: "\""):
            quoted(close: c, backslash: dialect.doubleQuotedStrings && dialect.backslashEscapes)
            return SQLToken(kind: dialect.doubleQuotedStrings ? .string : .quotedIdentifier, range: start..<i)
        case UInt8(ascii: "`"):
            quoted(close: c, backslash: false)
            return SQLToken(kind: .quotedIdentifier, range: start..<i)
        case UInt8(ascii: "[") where dialect.bracketIdentifiers:
            quoted(close: UInt8(ascii: "]"), backslash: false)
            return SQLToken(kind: .quotedIdentifier, range: start..<i)
        case UInt8(ascii: "$"):
            if dialect.dollarQuoting, let tagEnd = dollarTagEnd(start) {
                dollarString(tag: start..<tagEnd)
                return SQLToken(kind: .string, range: start..<i)
            }
            i += 1
            while i < b.count, Self.isIdentPart(b[i]) { i += 1 }
            return SQLToken(kind: .parameter, range: start..<i)
        case UInt8(ascii: "?"), UInt8(ascii: "@"):
            i += 1
            while i < b.count, Self.isIdentPart(b[i]) || b[i] == UInt8(ascii: "@") { i += 1 }
            return SQLToken(kind: i - start > 1 || c == UInt8(ascii: "?") ? .parameter : .punctuation, range: start..<i)
        case UInt8(ascii: ":") where Self.isIdentStart(at(i + 1)) && (i == 0 || b[i - 1] != UInt8(ascii: ":")):
            i += 1
            while i < b.count, Self.isIdentPart(b[i]) { i += 1 }
            return SQLToken(kind: .parameter, range: start..<i)
        default:
            break
        }
        if ByteClass.isDigit(c) || (c == UInt8(ascii: ".") && ByteClass.isDigit(at(i + 1))) {
            while i < b.count, ByteClass.isAlnum(b[i]) || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "_") { i += 1 }
            return SQLToken(kind: .number, range: start..<i)
        }
        if Self.isIdentStart(c) {
            // String prefixes: E'…' (backslash escapes), N'…', X'…', B'…', U&'…'.
            let lc = c | 0x20
            if at(i + 1) == UInt8(ascii: "'"), lc == UInt8(ascii: "e") || lc == UInt8(ascii: "n") || lc == UInt8(ascii: "x") || lc == UInt8(ascii: "b") {
                i += 1
                quoted(close: UInt8(ascii: "'"), backslash: lc == UInt8(ascii: "e") || dialect.backslashEscapes)
                return SQLToken(kind: .string, range: start..<i)
            }
            if lc == UInt8(ascii: "u"), at(i + 1) == UInt8(ascii: "&"), at(i + 2) == UInt8(ascii: "'") || at(i + 2) == UInt8(ascii: "\"") {
                let q = at(i + 2)
                i += 2
                quoted(close: q, backslash: false)
                return SQLToken(kind: q == UInt8(ascii: "'") ? .string : .quotedIdentifier, range: start..<i)
            }
            while i < b.count, Self.isIdentPart(b[i]) { i += 1 }
            return SQLToken(kind: .word, range: start..<i)
        }
        i += 1
        return SQLToken(kind: .punctuation, range: start..<i)
    }

    /// Skips whitespace and comments.
    mutating func skipTrivia() {
        while i < b.count {
            let c = b[i]
            if ByteClass.isSpace(c) { i += 1; continue }
            if (c == UInt8(ascii: "-") && at(i + 1) == UInt8(ascii: "-")) || (c == UInt8(ascii: "#") && dialect.hashComments) {
                while i < b.count, b[i] != 0x0A { i += 1 }
                continue
            }
            if c == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                blockComment()
                continue
            }
            return
        }
    }

    mutating func blockComment() {
        var depth = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                if depth == 0 || dialect.nestedComments { depth += 1 }
                i += 2
            } else if b[i] == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/") {
                depth -= 1
                i += 2
                if depth == 0 { return }
            } else {
                i += 1
            }
        }
        unterminated = true
    }

    /// From an opening quote at `i`, to after the closing one. A doubled
    /// closing quote is an escaped quote; with `backslash`, `\x` escapes too.
    mutating func quoted(close: UInt8, backslash: Bool) {
        i += 1
        while i < b.count {
            let c = b[i]
            if backslash && c == UInt8(ascii: "\\") { i += 2; continue }
            if c == close {
                if at(i + 1) == close { i += 2; continue }
                i += 1
                return
            }
            i += 1
        }
        i = b.count
        unterminated = true
    }

    /// If a dollar-quote tag (`$$` or `$tag$`) starts at `s`, its end.
    func dollarTagEnd(_ s: Int) -> Int? {
        var k = s + 1
        if at(k) == UInt8(ascii: "$") { return k + 1 }
        guard k < b.count, Self.isIdentStart(b[k]) else { return nil }
        while k < b.count, Self.isIdentStart(b[k]) || ByteClass.isDigit(b[k]) { k += 1 }
        return at(k) == UInt8(ascii: "$") ? k + 1 : nil
    }

    mutating func dollarString(tag: Range<Int>) {
        i = tag.upperBound
        let n = tag.count
        while i < b.count {
            if b[i] == UInt8(ascii: "$"), i + n <= b.count {
                var same = true
                for k in 0..<n where b[i + k] != b[tag.lowerBound + k] { same = false; break }
                if same { i += n; return }
            }
            i += 1
        }
        unterminated = true
    }
}
