import XCTest
@testable import HTTP1

final class LengthDecoderTests: XCTestCase {
    func testTakesOnlyTheBody() {
        var d = LengthDecoder(length: 10)
        XCTAssertFalse(d.finished)
        XCTAssertEqual(d.take(available: 4), 4)
        XCTAssertEqual(d.remaining, 6)
        XCTAssertEqual(d.take(available: 0), 0)
        XCTAssertEqual(d.take(available: 100), 6)
        XCTAssertTrue(d.finished)
        XCTAssertEqual(d.take(available: 5), 0)
    }

    func testZeroLengthIsFinished() {
        var d = LengthDecoder(length: 0)
        XCTAssertTrue(d.finished)
        XCTAssertEqual(d.take(available: 3), 0)
    }

    func testHugeLength() {
        var d = LengthDecoder(length: 1 << 53)
        XCTAssertEqual(d.take(available: Int.max), 1 << 53)
        XCTAssertTrue(d.finished)
    }
}
