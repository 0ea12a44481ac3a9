import XCTest
final class GatehouseCoreTestsSmoke: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
