import XCTest
import Identity

final class Base64URLTests: XCTestCase {
    func testRoundTripsEveryLength() {
        var bytes: [UInt8] = []
        for n in 0..<40 {
            XCTAssertEqual(Base64URL.decode(Base64URL.encode(bytes)), bytes, "length \(n)")
            bytes.append(UInt8(truncatingIfNeeded: n &* 37 &+ 200))
        }
    }

    func testKnownVector() {
        XCTAssertEqual(Base64URL.encode(Array("{\"alg\":\"ES256\"}".utf8)), "eyJhbGciOiJFUzI1NiJ9")
        XCTAssertEqual(Base64URL.encode([0xFB, 0xFF]), "-_8")
    }

    func testRejectsPaddingPlusSlashWhitespaceAndNonCanonicalBits() {
        XCTAssertNil(Base64URL.decode("-_8="))
        XCTAssertNil(Base64URL.decode("+/8"))
        XCTAssertNil(Base64URL.decode("-_ 8"))
        XCTAssertNil(Base64URL.decode("-_8\n"))
        XCTAssertNil(Base64URL.decode("A"))        // length 1 mod 4
        XCTAssertNil(Base64URL.decode("-_9"))      // low bits set: not the canonical encoding of [FB, FF]
        XCTAssertEqual(Base64URL.decode(""), [])
    }
}
