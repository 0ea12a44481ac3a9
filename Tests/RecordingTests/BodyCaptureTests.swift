@testable import Recording
import XCTest

final class BodyCaptureTests: XCTestCase {
    func testAppendKeepsPrefixUpToCapAndCountsAll() {
        var b = CapturedBody(cap: 10)
        b.append(Array("hello".utf8))
        XCTAssertFalse(b.truncated)
        b.append(Array(" world, again".utf8))
        XCTAssertEqual(String(decoding: b.bytes, as: UTF8.self), "hello worl")
        XCTAssertEqual(b.totalLength, 18)
        XCTAssertTrue(b.truncated)
        b.append([1, 2, 3])
        XCTAssertEqual(b.bytes.count, 10)
        XCTAssertEqual(b.totalLength, 21)
    }

    func testRecorderAppliesItsCapAndFlag() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir) { $0.bodyCap = 1024 }
        let large = [UInt8](repeating: 0x42, count: 5000)
        XCTAssertTrue(r.submit(.complete(makeStart("big", body: large), makeOutcome("big", body: large))))
        XCTAssertTrue(r.submit(.complete(makeStart("small", body: [1, 2, 3]), makeOutcome("small", body: []))))
        r.close()
        let p = dir.dbPath
        XCTAssertEqual(try count(p, "SELECT length(request_body) FROM exchanges WHERE request_id = 'big'"), 1024)
        XCTAssertEqual(try count(p, "SELECT request_body_size FROM exchanges WHERE request_id = 'big'"), 5000)
        XCTAssertEqual(try count(p, "SELECT request_body_truncated FROM exchanges WHERE request_id = 'big'"), 1)
        XCTAssertEqual(try count(p, "SELECT length(response_body) FROM exchanges WHERE request_id = 'big'"), 1024)
        XCTAssertEqual(try count(p, "SELECT response_body_truncated FROM exchanges WHERE request_id = 'big'"), 1)
        XCTAssertEqual(try count(p, "SELECT length(request_body) FROM exchanges WHERE request_id = 'small'"), 3)
        XCTAssertEqual(try count(p, "SELECT request_body_truncated FROM exchanges WHERE request_id = 'small'"), 0)
        XCTAssertEqual(try count(p, "SELECT response_body IS NULL FROM exchanges WHERE request_id = 'small'"), 1)
    }
}
