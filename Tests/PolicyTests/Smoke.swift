import XCTest
final class PolicyTestsSmoke: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
