/// Classifies one statement's tokens (no `;` inside). See `SQLClass` for
/// the verb table.
struct SQLStatementClassifier {
    let b: UnsafeRawBufferPointer
    let t: [SQLToken]

    func word(_ k: Int) -> String? {
        guard k < t.count, t[k].kind == .word else { return nil }
        var s = ""
        for i in t[k].range { s.unicodeScalars.append(Unicode.Scalar(ByteClass.isLower(b[i]) ? b[i] - 0x20 : b[i])) }
        return s
    }

    func isWord(_ k: Int, _ w: StaticString) -> Bool {
        guard k < t.count, t[k].kind == .word, t[k].range.count == w.utf8CodeUnitCount else { return false }
        return b.hasPrefix(w, at: t[k].range.lowerBound, caseInsensitive: true)
    }

    func classify() -> (SQLClass, String, Set<SQLFlag>) {
        var flags: Set<SQLFlag> = []
        var first = 0
        while first < t.count, t[first].kind == .openParen { first += 1 }  // (SELECT …) UNION …
        var (cls, verb) = classify(at: first, flags: &flags)
        if hasDangerousCall() {
            flags.insert(.dangerousFunction)
            cls = Swift.max(cls, .admin)
        }
        return (cls, verb, flags)
    }

    /// Classifies the statement whose verb is token `k`.
    func classify(at k: Int, flags: inout Set<SQLFlag>, depth: Int = 0) -> (SQLClass, String) {
        if depth > 16 {  // EXPLAIN ANALYZE EXPLAIN ANALYZE …: stop, fail closed
            flags.insert(.unrecognized)
            return (.admin, "")
        }
        guard let verb = word(k) else {
            if k >= t.count { return (.read, "") }
            flags.insert(.unrecognized)
            return (.admin, String(decoding: b[t[k].range], as: UTF8.self))
        }
        switch verb {
        case "SELECT":
            guard let into = topLevel("INTO", from: k) else { return (.read, verb) }
            // SELECT … INTO OUTFILE/DUMPFILE writes server files.
            return (isWord(into + 1, "OUTFILE") || isWord(into + 1, "DUMPFILE") ? .admin : .write, verb)
        case "VALUES", "TABLE", "SHOW", "DESCRIBE", "DESC":
            return (.read, verb)
        case "EXPLAIN":
            var j = k + 1
            var analyze = false
            if j < t.count, t[j].kind == .openParen {  // EXPLAIN (ANALYZE, …)
                while j < t.count, t[j].kind != .closeParen {
                    if isWord(j, "ANALYZE") || isWord(j, "ANALYSE") { analyze = true }
                    j += 1
                }
                j += 1
            }
            while isWord(j, "ANALYZE") || isWord(j, "ANALYSE") || isWord(j, "VERBOSE") || isWord(j, "QUERY") || isWord(j, "PLAN") {
                if isWord(j, "ANALYZE") || isWord(j, "ANALYSE") { analyze = true }
                j += 1
            }
            if analyze { return (classify(at: j, flags: &flags, depth: depth + 1).0, verb) }
            return (.read, verb)
        case "WITH":
            return (classifyWith(k, flags: &flags), verb)
        case "INSERT", "MERGE", "REPLACE", "UPSERT":
            return (.write, verb)
        case "UPDATE", "DELETE":
            checkWhere(k, verb: verb, flags: &flags)
            return (.write, verb)
        case "CREATE", "ALTER", "DROP":
            var j = k + 1
            if verb == "ALTER", isWord(j, "SYSTEM") { return (.admin, verb) }
            while isWord(j, "OR") || isWord(j, "REPLACE") || isWord(j, "TEMP") || isWord(j, "TEMPORARY") || isWord(j, "GLOBAL") || isWord(j, "LOCAL") { j += 1 }
            if isWord(j, "ROLE") || isWord(j, "USER") || isWord(j, "GROUP") || isWord(j, "LOGIN") { return (.privilege, verb) }
            return (.ddl, verb)
        case "TRUNCATE", "RENAME", "COMMENT":
            return (.ddl, verb)
        case "GRANT", "REVOKE", "DENY":
            return (.privilege, verb)
        case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "ABORT":
            return (.transaction, verb)
        case "SET":
            if isWord(k + 1, "PASSWORD") { return (.privilege, verb) }
            if isWord(k + 1, "TRANSACTION") { return (.transaction, verb) }
            return (.admin, verb)
        case "PREPARE":
            // PREPARE name [(types)] AS statement: classify the prepared statement.
            var j = k + 1
            while j < t.count, !isWord(j, "AS"), !isWord(j, "FROM") { j += 1 }
            if isWord(j, "TRANSACTION") || j >= t.count { return (.transaction, verb) }
            return (classify(at: j + 1, flags: &flags, depth: depth + 1).0, verb)
        case "VACUUM", "ANALYZE", "ANALYSE", "REINDEX", "CLUSTER", "CHECKPOINT", "RESET", "COPY", "CALL", "EXEC",
             "EXECUTE", "DO", "LOCK", "UNLOCK", "KILL", "SHUTDOWN", "LOAD", "ATTACH", "DETACH", "PRAGMA", "DISCARD",
             "REFRESH", "IMPORT", "SECURITY", "USE", "LISTEN", "NOTIFY", "UNLISTEN", "FLUSH", "INSTALL", "UNINSTALL",
             "HANDLER", "DBCC", "BACKUP", "RESTORE", "REASSIGN", "DEALLOCATE", "DECLARE", "FETCH", "MOVE", "CLOSE",
             "OPTIMIZE", "REPAIR", "CHECK", "CHECKSUM", "PURGE", "RESIGNAL", "SIGNAL":
            return (.admin, verb)
        default:
            flags.insert(.unrecognized)
            return (.admin, verb)
        }
    }

    /// WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (query) [, …] main:
    /// write if the main statement or any CTE body is INSERT/UPDATE/DELETE/MERGE.
    func classifyWith(_ k: Int, flags: inout Set<SQLFlag>) -> SQLClass {
        var cls: SQLClass = .read
        var depth = 0
        var j = k + 1
        var main: Int?
        while j < t.count {
            switch t[j].kind {
            case .openParen:
                depth += 1
                if let w = word(j + 1), ["INSERT", "UPDATE", "DELETE", "MERGE"].contains(w) {
                    cls = Swift.max(cls, .write)
                    if w == "UPDATE" || w == "DELETE" { checkWhere(j + 1, verb: w, flags: &flags) }
                }
            case .closeParen:
                depth -= 1
            case .word where depth == 0 && main == nil:
                if let w = word(j), ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE"].contains(w),
                   j > 0, t[j - 1].kind == .closeParen {
                    main = j
                }
            default: break
            }
            j += 1
        }
        if let main { cls = Swift.max(cls, classify(at: main, flags: &flags).0) }
        return cls
    }

    /// Index of `keyword` at paren depth 0 after token `k`, if any.
    func topLevel(_ keyword: StaticString, from k: Int) -> Int? {
        var depth = 0
        for j in (k + 1)..<Swift.max(k + 1, t.count) {
            switch t[j].kind {
            case .openParen: depth += 1
            case .closeParen: depth -= 1
            case .word where depth == 0 && isWord(j, keyword): return j
            default: break
            }
        }
        return nil
    }

    /// Flags an UPDATE/DELETE at token `k` whose own clause (same paren
    /// depth, up to the closing paren) has no WHERE.
    func checkWhere(_ k: Int, verb: String, flags: inout Set<SQLFlag>) {
        var depth = 0
        var j = k + 1
        while j < t.count {
            switch t[j].kind {
            case .openParen: depth += 1
            case .closeParen:
                depth -= 1
                if depth < 0 { j = t.count; continue }
            case .word where depth == 0 && isWord(j, "WHERE"): return
            default: break
            }
            j += 1
        }
        flags.insert(verb == "DELETE" ? .deleteWithoutWhere : .updateWithoutWhere)
    }

    /// A word from `dangerousFunctions` followed by `(` anywhere in the statement.
    func hasDangerousCall() -> Bool {
        for j in 0..<t.count where t[j].kind == .word && j + 1 < t.count && t[j + 1].kind == .openParen {
            if let w = word(j), SQLClassifier.dangerousFunctions.contains(w) { return true }
        }
        return false
    }
}
