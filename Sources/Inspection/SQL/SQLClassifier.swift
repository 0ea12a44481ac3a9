/// Classifies SQL text by statement, using `SQLTokenizer`, never regular
/// expressions: `SELECT 'drop table x'` is a read, `/*x*/DROP TABLE t` is DDL.
///
/// By default the text is tokenized three times, with PostgreSQL, MySQL and
/// SQL Server lexical rules, and the classes and flags are unioned (flag
/// `dialectAmbiguous` when the readings differ). So a statement hidden
/// inside what one dialect reads as a string or comment is still reported.
/// Statements are split on `;` outside quotes and comments.
public enum SQLClassifier {
    /// Functions with server-side effects; calling one makes a statement `admin`.
    public static let dangerousFunctions: Set<String> = [
        "PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND", "PG_RELOAD_CONF", "PG_ROTATE_LOGFILE", "PG_READ_FILE",
        "PG_READ_BINARY_FILE", "PG_LS_DIR", "PG_STAT_FILE", "LO_IMPORT", "LO_EXPORT", "DBLINK_EXEC", "DBLINK",
        "SET_CONFIG", "PG_PROMOTE", "PG_SWITCH_WAL", "LOAD_FILE", "SYS_EXEC", "SYS_EVAL", "XP_CMDSHELL",
        "OPENROWSET", "OPENDATASOURCE", "LOAD_EXTENSION", "WRITEFILE", "READFILE",
    ]

    public static func analyze(_ sql: String, dialects: SQLDialects = .all) -> SQLAnalysis {
        var s = sql
        return s.withUTF8 { analyze(UnsafeRawBufferPointer($0), dialects: dialects) }
    }

    /// Classifies `bytes` under each dialect in `dialects` and unions the
    /// readings; `statements` come from the first (PostgreSQL if included).
    /// Restrict `dialects` to the upstream's real dialect to avoid
    /// over-classification (e.g. a PostgreSQL `$$` body read as MySQL).
    public static func analyze(_ bytes: UnsafeRawBufferPointer, dialects: SQLDialects = .all) -> SQLAnalysis {
        var readings: [SQLDialect] = []
        if dialects.contains(.postgres) { readings.append(.postgres) }
        if dialects.contains(.mysql) { readings.append(.mysql) }
        if dialects.contains(.sqlServer) { readings.append(.sqlServer) }
        if readings.isEmpty { readings.append(.postgres) }
        var primary = analyze(bytes, dialect: readings[0])
        for dialect in readings.dropFirst() {
            let other = analyze(bytes, dialect: dialect)
            if other.classes != primary.classes || other.flags != primary.flags {
                primary.flags.insert(.dialectAmbiguous)
            }
            primary.classes.formUnion(other.classes)
            primary.flags.formUnion(other.flags)
        }
        return primary
    }

    static func analyze(_ b: UnsafeRawBufferPointer, dialect: SQLDialect) -> SQLAnalysis {
        let (tokens, unterminated) = SQLTokenizer.tokens(b, dialect: dialect)
        var result = SQLAnalysis(statements: [], classes: [], flags: [])
        if unterminated { result.flags.insert(.unterminated) }
        var start = 0
        for k in 0...tokens.count where k == tokens.count || tokens[k].kind == .semicolon {
            if k > start {
                let statement = SQLStatementClassifier(b: b, t: Array(tokens[start..<k]))
                let (cls, verb, flags) = statement.classify()
                result.statements.append(SQLStatement(range: tokens[start].range.lowerBound..<tokens[k - 1].range.upperBound,
                                                      sqlClass: cls, verb: verb))
                result.classes.insert(cls)
                result.flags.formUnion(flags)
            }
            start = k + 1
        }
        if result.statements.count > 1 { result.flags.insert(.multipleStatements) }
        return result
    }
}

/// Which dialects' lexical rules to read SQL with (see `SQLClassifier`).
public struct SQLDialects: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Nested comments, dollar quoting, standard strings, `"` identifiers.
    public static let postgres = SQLDialects(rawValue: 1)
    /// Backslash escapes, `"` strings, `#` comments, non-nesting comments, backticks.
    public static let mysql = SQLDialects(rawValue: 2)
    /// `[…]` identifiers, nested comments.
    public static let sqlServer = SQLDialects(rawValue: 4)
    public static let all: SQLDialects = [.postgres, .mysql, .sqlServer]
}
