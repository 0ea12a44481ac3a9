import XCTest
import HTTP1
import Identity

final class BearerExtractionTests: XCTestCase {
    private func head(_ headers: [(String, String)], target: String = "/x") -> RequestHead {
        var h = HTTPHeaders()
        for (n, v) in headers { h.append(name: n, value: v) }
        return RequestHead(method: "GET", target: target, headers: h)
    }

    func testExactlyOneBearerHeaderAnyCase() {
        XCTAssertEqual(BearerExtraction.extract(head([("Authorization", "Bearer abc.def.ghi")])), .token(Array("abc.def.ghi".utf8)))
        XCTAssertEqual(BearerExtraction.extract(head([("authorization", "bEaReR abc")])), .token(Array("abc".utf8)))
    }

    func testMissingOrOtherScheme() {
        XCTAssertEqual(BearerExtraction.extract(head([])), .missing)
        XCTAssertEqual(BearerExtraction.extract(head([("Authorization", "Basic dXNlcjpwdw==")])), .missing)
    }

    func testTwoAuthorizationHeadersIsInvalidRequest() {
        guard case .invalidRequest = BearerExtraction.extract(head([("Authorization", "Bearer a"), ("AUTHORIZATION", "Bearer a")]))
        else { return XCTFail("expected invalid_request") }
    }

    func testTokenInTheQueryIsInvalidRequestEvenWithAHeader() {
        for target in ["/x?access_token=abc", "/x?a=1&access_token=", "/x?access%5Ftoken=abc"] {
            guard case .invalidRequest = BearerExtraction.extract(head([("Authorization", "Bearer a")], target: target))
            else { return XCTFail("expected invalid_request for \(target)") }
        }
        XCTAssertEqual(BearerExtraction.extract(head([("Authorization", "Bearer a")], target: "/x?my_access_token=1")), .token([97]))
    }

    func testEmptyOrSpacedTokenIsInvalidRequest() {
        guard case .invalidRequest = BearerExtraction.extract(head([("Authorization", "Bearer a b")])) else { return XCTFail() }
        guard case .invalidRequest = BearerExtraction.extract(head([("Authorization", "Bearer  ")])) else { return XCTFail() }
    }
}
