import XCTest
final class HTTP1TestsSmoke: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
