import XCTest
@testable import Inspection

final class SQLClassifierTests: XCTestCase {
    func kinds(_ sql: String, _ d: SQLDialect = .postgres) -> [String] {
        var s = sql
        return s.withUTF8 { p in
            let raw = UnsafeRawBufferPointer(p)
            return SQLTokenizer.tokens(raw, dialect: d).tokens.map { "\($0.kind):\(String(decoding: raw[$0.range], as: UTF8.self))" }
        }
    }

    func testTokenizerQuotesCommentsAndDollarQuoting() {
        XCTAssertEqual(kinds("SELECT 'a''b', \"c\"\"d\" -- x\n/* a /* b */ c */ $t$ x $ y $t$ $1"),
                       ["word:SELECT", "string:'a''b'", "punctuation:,", "quotedIdentifier:\"c\"\"d\"", "string:$t$ x $ y $t$", "parameter:$1"])
        XCTAssertEqual(kinds("E'a\\'b' x"), ["string:E'a\\'b'", "word:x"])
        XCTAssertEqual(kinds("[a;b] `c`", .sqlServer), ["quotedIdentifier:[a;b]", "quotedIdentifier:`c`"])
        XCTAssertEqual(kinds("'a\\'b' # c", .mysql), ["string:'a\\'b'"])
        XCTAssertEqual(kinds("/* a /* b */ c */ d", .mysql), ["word:c", "punctuation:*", "punctuation:/", "word:d"])
    }

    func testStatementsAndVerbs() {
        let a = SQLClassifier.analyze("SELECT 1; UPDATE t SET a = 1; DROP TABLE t", dialects: .postgres)
        XCTAssertEqual(a.statements.map(\.verb), ["SELECT", "UPDATE", "DROP"])
        XCTAssertEqual(a.statements.map(\.sqlClass), [.read, .write, .ddl])
        XCTAssertEqual(a.mostSevere, .ddl)
        XCTAssertEqual(a.flags, [.multipleStatements, .updateWithoutWhere])
        XCTAssertEqual(a.statements[1].range, 10..<28)
    }

    func testIssueExamples() {
        XCTAssertEqual(SQLClassifier.analyze("SELECT 'drop table x'").classes, [.read])
        XCTAssertEqual(SQLClassifier.analyze("/*x*/DROP TABLE t").classes, [.ddl])
    }

    func testDialectRestriction() {
        let sql = "CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t; $$ LANGUAGE sql"
        XCTAssertEqual(SQLClassifier.analyze(sql, dialects: .postgres).classes, [.ddl])
        XCTAssertTrue(SQLClassifier.analyze(sql).classes.contains(.admin))
    }
}
