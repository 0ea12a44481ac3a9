#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore
import XCTest

final class SystemErrorTests: XCTestCase {
    func testDescriptionNamesSyscallAndReason() {
        let e = SystemError("open", errno: ENOENT)
        XCTAssertEqual(e.syscall, "open")
        XCTAssertEqual(e.errno, ENOENT)
        XCTAssertEqual(e.reason, String(cString: strerror(ENOENT)))
        XCTAssertTrue(e.description.contains("open"))
        XCTAssertTrue(e.description.contains("No such file or directory"), e.description)
        XCTAssertTrue(e.description.contains("errno \(ENOENT)"), e.description)
        XCTAssertEqual(e.description, "open: No such file or directory (errno \(ENOENT))")
        XCTAssertEqual("\(e)", e.description)
    }

    func testNoteIsAppended() {
        let e = SystemError("bind", errno: EADDRINUSE, note: "127.0.0.1:80")
        XCTAssertTrue(e.description.hasPrefix("bind: "))
        XCTAssertTrue(e.description.contains(String(cString: strerror(EADDRINUSE))), e.description)
        XCTAssertTrue(e.description.hasSuffix("[127.0.0.1:80]"), e.description)
    }

    func testDefaultErrnoIsCapturedAtCreation() {
        errno = 0
        let fd = open("/definitely/not/here/\(getpid())", O_RDONLY)
        XCTAssertEqual(fd, -1)
        let e = SystemError("open")
        XCTAssertEqual(e.errno, ENOENT)
        XCTAssertTrue(e.description.contains("No such file or directory"))
    }

    func testEquatableAndThrowable() {
        XCTAssertEqual(SystemError("a", errno: 1, note: "x"), SystemError("a", errno: 1, note: "x"))
        XCTAssertNotEqual(SystemError("a", errno: 1), SystemError("a", errno: 2))
        XCTAssertNotEqual(SystemError("a", errno: 1), SystemError("b", errno: 1))
        func fails() throws(SystemError) { throw SystemError("close", errno: EBADF) }
        do {
            try fails()
            XCTFail("expected a throw")
        } catch {
            XCTAssertEqual(error.syscall, "close")
            XCTAssertTrue(error.description.contains("Bad file descriptor"), error.description)
        }
    }
}
