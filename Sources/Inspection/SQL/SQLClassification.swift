/// What a SQL statement does.
///
/// - `read`: SELECT (without INTO), VALUES, TABLE, SHOW, DESCRIBE/DESC,
///   EXPLAIN (without ANALYZE), WITH … SELECT without data-modifying CTEs.
/// - `write`: INSERT, UPDATE, DELETE, MERGE, REPLACE, UPSERT, SELECT … INTO,
///   WITH … (INSERT|UPDATE|DELETE|MERGE) at the top or inside a CTE.
/// - `ddl`: CREATE, ALTER, DROP, TRUNCATE, RENAME, COMMENT (except on roles
///   and users, which are `privilege`).
/// - `privilege`: GRANT, REVOKE, CREATE/ALTER/DROP ROLE|USER|GROUP, SET
///   PASSWORD.
/// - `admin`: VACUUM, ANALYZE, REINDEX, CLUSTER, CHECKPOINT, SET (incl. SET
///   ROLE, SET SESSION AUTHORIZATION), RESET, COPY, CALL, EXEC, EXECUTE, DO,
///   LOCK, KILL, SHUTDOWN, LOAD, ATTACH, DETACH, PRAGMA, ALTER SYSTEM,
///   DISCARD, REFRESH, IMPORT, SECURITY, USE, LISTEN, NOTIFY, UNLISTEN,
///   FLUSH, INSTALL, UNINSTALL, HANDLER, DBCC, BACKUP, RESTORE, plus any
///   statement calling a server-side dangerous function (see
///   `SQLClassifier.dangerousFunctions`), and any statement whose first word
///   is not recognized (fail closed, with the `unrecognized` flag).
/// - `transaction`: BEGIN, START, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE,
///   ABORT, PREPARE TRANSACTION-style control, SET TRANSACTION.
public enum SQLClass: String, Sendable, Hashable, CaseIterable, Comparable {
    case read, transaction, write, ddl, privilege, admin

    /// Ordered by the damage a statement of this class can do; `admin` last.
    public static func < (a: SQLClass, b: SQLClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Noteworthy properties of a SQL text.
public enum SQLFlag: String, Sendable, Hashable, CaseIterable {
    /// A DELETE (top level or in a CTE) with no WHERE clause.
    case deleteWithoutWhere = "delete_without_where"
    /// An UPDATE with no WHERE clause.
    case updateWithoutWhere = "update_without_where"
    /// More than one non-empty statement (split on `;` outside quotes and comments).
    case multipleStatements = "multiple_statements"
    /// An unterminated string, quoted identifier, dollar quote or comment.
    case unterminated
    /// Dialects disagree on how to read the text (e.g. `'\''`, nested
    /// comments): classes and flags are the union over all readings.
    case dialectAmbiguous = "dialect_ambiguous"
    /// A statement started with a word the classifier does not know; it is
    /// classified `admin`.
    case unrecognized
    /// A call to a function with server-side effects (files, backends, config).
    case dangerousFunction = "dangerous_function"
}

/// One statement: its byte range, class and leading verb (uppercased).
public struct SQLStatement: Sendable, Hashable {
    public var range: Range<Int>
    public var sqlClass: SQLClass
    public var verb: String
}

/// The result of classifying a SQL text.
public struct SQLAnalysis: Sendable, Hashable {
    /// Statements as read by the PostgreSQL dialect.
    public var statements: [SQLStatement]
    /// Every class any statement has under any dialect reading.
    public var classes: Set<SQLClass>
    public var flags: Set<SQLFlag>

    /// The most dangerous class present (`read` for an empty text).
    public var mostSevere: SQLClass { classes.max() ?? .read }
}
