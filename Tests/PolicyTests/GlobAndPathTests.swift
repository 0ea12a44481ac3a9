import Policy
import XCTest

/// Globs, field paths, path normalization and query decoding.
final class GlobAndPathTests: XCTestCase {
    func testPathGlobs() {
        let g = Glob("/v1/*/items/**", pathSegments: true)
        XCTAssertTrue(g.matches("/v1/a/items/x/y"))
        XCTAssertTrue(g.matches("/v1/a/items"), "a trailing /** covers the root")
        XCTAssertTrue(g.matches("/v1/a/items/"))
        XCTAssertFalse(g.matches("/v1/a/b/items/x"), "* stays within a segment")
        XCTAssertFalse(g.matches("/v1/a/itemsx"))
        XCTAssertTrue(Glob("/**", pathSegments: true).matches("/"))
        XCTAssertTrue(Glob("/a/**/z", pathSegments: true).matches("/a/b/c/z"))
        XCTAssertTrue(Glob("/*.json", pathSegments: true).matches("/x.json"))
        XCTAssertFalse(Glob("/*.json", pathSegments: true).matches("/a/x.json"))
        XCTAssertTrue(Glob("/exact", pathSegments: true).isLiteral)
    }

    func testValueGlobs() {
        let g = Glob("*curl*", pathSegments: false)
        XCTAssertTrue(g.matches("x/curl/8"))
        XCTAssertFalse(g.matches("wget"))
        XCTAssertTrue(Glob("a*b*c", pathSegments: false).matches("a/b/c"))
        XCTAssertFalse(Glob("a*b*c", pathSegments: false).matches("acb"))
        let many = Glob(String(repeating: "*a", count: 30) + "*b", pathSegments: false)
        XCTAssertFalse(many.matches(String(repeating: "a", count: 2000)), "no exponential blow-up")
    }

    func testFieldPaths() throws {
        XCTAssertEqual(try FieldPath.parse("/a~1b/~0c/0").get().segments, [.key("a/b"), .key("~c"), .key("0")])
        XCTAssertEqual(try FieldPath.parse("params.*.command").get().segments, [.key("params"), .wildcard, .key("command")])
        XCTAssertEqual(try FieldPath.parse("").get().segments, [])
        XCTAssertEqual(try FieldPath.parse("/").get().segments, [.key("")])
        XCTAssertThrowsError(try FieldPath.parse("/a~").get())
        XCTAssertThrowsError(try FieldPath.parse("a.").get())
        XCTAssertThrowsError(try FieldPath.parse("a.b*").get())
    }

    func testPathNormalization() {
        XCTAssertEqual(PathNormalizer.normalize("/%61dmin/%7e/x%2fy%2F"), "/admin/~/x%2Fy%2F")
        XCTAssertEqual(PathNormalizer.normalize("/a/./b/../../c/"), "/c/")
        XCTAssertEqual(PathNormalizer.normalize("/../.."), "/")
        XCTAssertEqual(PathNormalizer.normalize("/a/b/.."), "/a/")
        XCTAssertEqual(PathNormalizer.normalize("/a//b"), "/a//b")
        XCTAssertEqual(PathNormalizer.normalize("*"), "*")
    }

    func testQueryDecoding() {
        let q = QueryParameters.parse("a=1&b=x+y&c&d=%41%zz&&=e")
        XCTAssertEqual(q.map(\.name), ["a", "b", "c", "d", ""])
        XCTAssertEqual(q.map(\.value), ["1", "x y", "", "A%zz", "e"])
        XCTAssertTrue(QueryParameters.parse(nil).isEmpty)
    }
}
