/// One SQL token: its kind and byte range in the statement text. Comments
/// and whitespace are not tokens.
struct SQLToken: Equatable {
    enum Kind: Equatable {
        /// Unquoted identifier or keyword.
        case word
        /// `"…"`, `` `…` `` or `[…]` identifier (per dialect).
        case quotedIdentifier
        /// `'…'`, `E'…'`, `N'…'`, `$tag$…$tag$`, or MySQL `"…"`.
        case string
        case number
        /// `$1`, `?`, `:name`, `@var`.
        case parameter
        case semicolon
        case openParen
        case closeParen
        /// Any other operator or punctuation byte.
        case punctuation
    }

    var kind: Kind
    var range: Range<Int>
}

/// Lexical rules that differ between SQL dialects. The classifier
/// tokenizes with each profile and unions the results, so a statement
/// hidden from one dialect's reading (a `'\''` string, a nested comment) is
/// still seen. See `SQLClassifier`.
struct SQLDialect: Equatable {
    /// `/* /* */ */` nests (PostgreSQL, SQL Server) or ends at the first `*/` (MySQL, SQLite).
    var nestedComments: Bool
    /// Backslash escapes inside `'…'` (MySQL default).
    var backslashEscapes: Bool
    /// `"…"` is a string, not an identifier (MySQL default).
    var doubleQuotedStrings: Bool
    /// `#` starts a line comment (MySQL).
    var hashComments: Bool
    /// `[…]` quotes identifiers (SQL Server, SQLite).
    var bracketIdentifiers: Bool
    /// `$tag$…$tag$` strings (PostgreSQL).
    var dollarQuoting: Bool

    static let postgres = SQLDialect(nestedComments: true, backslashEscapes: false, doubleQuotedStrings: false,
                                     hashComments: false, bracketIdentifiers: false, dollarQuoting: true)
    static let mysql = SQLDialect(nestedComments: false, backslashEscapes: true, doubleQuotedStrings: true,
                                  hashComments: true, bracketIdentifiers: false, dollarQuoting: false)
    static let sqlServer = SQLDialect(nestedComments: true, backslashEscapes: false, doubleQuotedStrings: false,
                                      hashComments: false, bracketIdentifiers: true, dollarQuoting: false)
}
