@testable import Gateway
import XCTest

/// Credentials in a request's query never reach the recording.
final class TargetRedactionTests: XCTestCase {
    func testCredentialParametersAreRedacted() {
        XCTAssertEqual(TargetRedaction.redact("/a?access_token=eyJhbGciOi.x.y&b=2"), "/a?access_token=[REDACTED]&b=2")
        XCTAssertEqual(TargetRedaction.redact("/a?x=1&ACCESS_TOKEN=t"), "/a?x=1&ACCESS_TOKEN=[REDACTED]")
        XCTAssertEqual(TargetRedaction.redact("/a?access%5Ftoken=t"), "/a?access%5Ftoken=[REDACTED]")
        XCTAssertEqual(TargetRedaction.redact("/a?client_secret=s&password=p"), "/a?client_secret=[REDACTED]&password=[REDACTED]")
    }

    func testOtherTargetsAreUnchanged() {
        for t in ["/", "/a/b", "/a?x=1&y", "/a?tokenizer=1", "/a?&&", "/a?access_token"] {
            XCTAssertEqual(TargetRedaction.redact(t), t)
        }
    }
}
