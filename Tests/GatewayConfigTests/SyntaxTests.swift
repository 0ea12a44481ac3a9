@testable import GatewayConfig
import XCTest

final class SyntaxTests: XCTestCase {
    func testIPv4() {
        XCTAssertEqual(IPAddressLiteral.parse("127.0.0.1"), .v4([127, 0, 0, 1]))
        XCTAssertEqual(IPAddressLiteral.parse("0.0.0.0"), .v4([0, 0, 0, 0]))
        XCTAssertEqual(IPAddressLiteral.parse("255.255.255.255"), .v4([255, 255, 255, 255]))
        for bad in ["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "a.b.c.d", "", "1.2.3.4 ", "1.2.3.-4"] {
            XCTAssertNil(IPAddressLiteral.parse(bad), bad)
        }
    }

    func testIPv6() {
        XCTAssertEqual(IPAddressLiteral.parse("::"), .v6(Array(repeating: 0, count: 16)))
        XCTAssertEqual(IPAddressLiteral.parse("::1"), .v6(Array(repeating: 0, count: 15) + [1]))
        XCTAssertEqual(IPAddressLiteral.parse("::1"), IPAddressLiteral.parse("0:0:0:0:0:0:0:1"))
        XCTAssertEqual(IPAddressLiteral.parse("1::"), IPAddressLiteral.parse("1:0:0:0:0:0:0:0"))
        XCTAssertEqual(IPAddressLiteral.parse("::ffff:1.2.3.4"), IPAddressLiteral.parse("::ffff:102:304"))
        XCTAssertEqual(IPAddressLiteral.parse("2001:DB8::8:800:200C:417A"), IPAddressLiteral.parse("2001:db8:0:0:8:800:200c:417a"))
        XCTAssertNotNil(IPAddressLiteral.parse("1:2:3:4:5:6:7::"))
        for bad in [":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g",
                    "fe80::1%eth0", "[::1]", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "1.2.3.4::", "::1.2.3"] {
            XCTAssertNil(IPAddressLiteral.parse(bad), bad)
        }
    }

    func testHostPatterns() {
        func ok(_ raw: String) -> String? { try? HostSyntax.normalizePattern(raw).get() }
        XCTAssertEqual(ok("*"), "*")
        XCTAssertEqual(ok("Example.COM"), "example.com")
        XCTAssertEqual(ok("*.Example.com"), "*.example.com")
        XCTAssertEqual(ok("10.0.0.1"), "10.0.0.1")
        XCTAssertEqual(ok("[::1]"), "[::1]")
        XCTAssertEqual(ok("localhost"), "localhost")
        for bad in ["", "*.", "*.*.com", "a*.com", "*com", "a.com:80", "[::1]:80", "::1", "a.com.", "999.1.1.1",
                    "a..com", "-a.com", "exämple.com", "a b.com", "*.1.2.3.4", "[zz]"] {
            XCTAssertNil(ok(bad), bad)
        }
        if case .failure(let problem) = HostSyntax.normalizePattern("::1") {
            XCTAssertEqual(problem.message, "host pattern \"::1\" is an IPv6 address; write it in brackets, as in \"[::1]\"")
        } else {
            XCTFail("::1 accepted")
        }
    }

    func testPathPrefixes() {
        for good in ["/", "/api", "/api/", "/a-b_c.d~e/f:g@h", "/%2F", "/a;b=c"] {
            XCTAssertNil(PathSyntax.problem(good), good)
        }
        for bad in ["", "api", "/a?b", "/a#b", "/a b", "/a//b", "/./a", "/a/..", "/a/../b", "/%2", "/é", "/a\"b"] {
            XCTAssertNotNil(PathSyntax.problem(bad), bad)
        }
    }

    func testTokensAndNames() {
        XCTAssertTrue(TokenSyntax.isToken("X-Request-Id"))
        XCTAssertTrue(TokenSyntax.isToken("a!#$%&'*+-.^_`|~9"))
        XCTAssertFalse(TokenSyntax.isToken(""))
        XCTAssertFalse(TokenSyntax.isToken("a b"))
        XCTAssertFalse(TokenSyntax.isToken("a:b"))
        XCTAssertTrue(TokenSyntax.isName("Edge_1.main-2"))
        XCTAssertFalse(TokenSyntax.isName(""))
        XCTAssertFalse(TokenSyntax.isName(String(repeating: "a", count: 65)))
        XCTAssertFalse(TokenSyntax.isName("a/b"))
    }

    func testReservedRequestIDHeader() {
        let text = """
        {"request_id": {"header": "Content-Length"}, "identity": {"mode": "off"}, "listeners": [{"address": "::", "port": 1}],
         "routes": [{"name": "r", "upstream": "http://h"}]}
        """
        guard case .failure(let errors) = parseText(text) else { return XCTFail("loaded") }
        XCTAssertEqual(errors.description,
                       "inline.json:1:27: \"header\" in request_id must not be a framing or hop-by-hop header, got \"Content-Length\"")
    }
}
