import XCTest
final class GatewayConfigTestsSmoke: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
