import XCTest
final class ReactorTestsSmoke: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
