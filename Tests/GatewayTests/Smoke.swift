import XCTest
final class GatewayTestsSmoke: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
