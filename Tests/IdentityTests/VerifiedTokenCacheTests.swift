import XCTest
import Identity

final class VerifiedTokenCacheTests: XCTestCase {
    private func id(_ s: String, exp: Int64 = 1_000) -> VerifiedIdentity {
        VerifiedIdentity(subject: s, clientID: nil, groups: [], scopes: [], issuer: "i", expiresAt: exp)
    }
    private func key(_ s: String) -> [UInt8] { VerifiedTokenCache.key(for: Array(s.utf8)) }

    func testHitUntilExpiryThenMiss() {
        let c = VerifiedTokenCache(capacity: 4)
        c.insert(digest: key("a"), identity: id("a", exp: 100), issuerName: "x")
        XCTAssertEqual(c.lookup(digest: key("a"), now: 99)?.identity.subject, "a")
        XCTAssertEqual(c.lookup(digest: key("a"), now: 99)?.issuerName, "x")
        XCTAssertNil(c.lookup(digest: key("b"), now: 99))
        XCTAssertNil(c.lookup(digest: key("a"), now: 100))
        XCTAssertEqual(c.count, 0)
    }

    func testEvictsTheLeastRecentlyUsed() {
        let c = VerifiedTokenCache(capacity: 3)
        for s in ["a", "b", "c"] { c.insert(digest: key(s), identity: id(s), issuerName: "x") }
        XCTAssertNotNil(c.lookup(digest: key("a"), now: 0))   // a is now the most recent
        c.insert(digest: key("d"), identity: id("d"), issuerName: "x")
        XCTAssertNil(c.lookup(digest: key("b"), now: 0))
        XCTAssertNotNil(c.lookup(digest: key("a"), now: 0))
        XCTAssertNotNil(c.lookup(digest: key("c"), now: 0))
        XCTAssertNotNil(c.lookup(digest: key("d"), now: 0))
        XCTAssertEqual(c.count, 3)
    }

    func testStaysBoundedUnderChurnWithExpiries() {
        let c = VerifiedTokenCache(capacity: 50)
        for i in 0..<5_000 {
            c.insert(digest: key("t\(i)"), identity: id("t\(i)", exp: Int64(i % 7 == 0 ? 1 : 1_000)), issuerName: "x")
            if i % 3 == 0 { _ = c.lookup(digest: key("t\(i - 1)"), now: 10) }
            XCTAssertLessThanOrEqual(c.count, 50)
        }
        XCTAssertNotNil(c.lookup(digest: key("t4999"), now: 10))
    }
}
