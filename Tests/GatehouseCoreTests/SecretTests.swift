import GatehouseCore
import XCTest

private struct Credentials {
    var user: String
    var password: Secret<String>
}

final class SecretTests: XCTestCase {
    private let value = "hunter2-very-secret"

    private func assertHidden(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.contains(value), "secret leaked: \(text)", file: file, line: line)
        XCTAssertFalse(text.contains("hunter2"), "secret leaked: \(text)", file: file, line: line)
    }

    func testRevealReturnsValue() {
        XCTAssertEqual(Secret(value).reveal(), value)
        XCTAssertEqual(Secret(42).reveal(), 42)
    }

    func testDescriptions() {
        let s = Secret(value)
        XCTAssertEqual(s.description, "[REDACTED]")
        XCTAssertEqual(s.debugDescription, "Secret([REDACTED])")
        assertHidden(s.description)
        assertHidden(s.debugDescription)
    }

    func testInterpolationAndConversions() {
        let s = Secret(value)
        assertHidden("\(s)")
        assertHidden("token=\(s)!")
        assertHidden(String(describing: s))
        assertHidden(String(reflecting: s))
        assertHidden("\(Optional(s) as Any)")
        assertHidden("\([s, s])")
        assertHidden("\(["k": s])")
        assertHidden("\((1, s))")
    }

    func testPrintAndDump() {
        let s = Secret(value)
        var printed = ""
        print(s, to: &printed)
        debugPrint(s, to: &printed)
        assertHidden(printed)
        var dumped = ""
        dump(s, to: &dumped)
        assertHidden(dumped)
    }

    func testMirrorDoesNotExposeValue() {
        let s = Secret(value)
        for child in Mirror(reflecting: s).children {
            assertHidden(String(describing: child.value))
        }
    }

    func testEnclosingStructDoesNotLeak() {
        let c = Credentials(user: "alice", password: Secret(value))
        let text = "\(c)"
        XCTAssertTrue(text.contains("alice"))
        assertHidden(text)
        assertHidden(String(reflecting: c))
        var dumped = ""
        dump(c, to: &dumped)
        assertHidden(dumped)
    }

    func testNonStringValue() {
        let s = Secret([UInt8](repeating: 0x41, count: 4))
        XCTAssertFalse("\(s)".contains("65"))
        XCTAssertEqual("\(s)", "[REDACTED]")
    }
}
