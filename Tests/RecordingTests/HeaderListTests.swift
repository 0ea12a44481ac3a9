@testable import Recording
import XCTest

/// `HeaderList`: fields in order with duplicates, in one buffer, built by
/// appending or in one allocation (`copying`), and the fast body capture.
final class HeaderListTests: XCTestCase {
    private let sample = [HeaderField("Host", "svc.internal"), HeaderField("X-Empty", ""),
                          HeaderField("Accept", "a"), HeaderField("accept", "b"), HeaderField("", "no name")]

    func testAppendKeepsOrderDuplicatesAndSizes() {
        let list = HeaderList(sample)
        XCTAssertEqual(list.fields, sample)
        XCTAssertEqual(list.count, 5)
        XCTAssertEqual(list.byteCount, sample.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        XCTAssertTrue(HeaderList().isEmpty)
        XCTAssertEqual(HeaderList().fields, [])
    }

    func testCopyingMatchesAppending() {
        let bytes = sample.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        let copied = HeaderList.copying(fields: sample.count, bytes: bytes) { add in
            for f in sample {
                var n = f.name, v = f.value
                n.withUTF8 { nb in v.withUTF8 { vb in add(UnsafeRawBufferPointer(nb), UnsafeRawBufferPointer(vb)) } }
            }
        }
        XCTAssertEqual(copied, HeaderList(sample))
        XCTAssertEqual(copied.fields, sample)
        XCTAssertEqual(HeaderList.copying(fields: 0, bytes: 0) { _ in }, HeaderList())
    }

    /// More than was promised is dropped, never written past the buffer.
    func testCopyingDropsFieldsBeyondThePromisedSize() {
        let copied = HeaderList.copying(fields: 1, bytes: 6) { add in
            for (n, v) in [("Host", "h1"), ("Extra", "dropped")] {
                var n = n, v = v
                n.withUTF8 { nb in v.withUTF8 { vb in add(UnsafeRawBufferPointer(nb), UnsafeRawBufferPointer(vb)) } }
            }
        }
        XCTAssertEqual(copied.fields, [HeaderField("Host", "h1")])
    }

    func testRawBodyCaptureHonoursTheCap() {
        var body = CapturedBody(cap: 5)
        let chunk: [UInt8] = Array("abcdefgh".utf8)
        chunk.withUnsafeBytes { body.append(UnsafeRawBufferPointer(rebasing: $0[0..<3])) }
        chunk.withUnsafeBytes { body.append(UnsafeRawBufferPointer(rebasing: $0[3..<8])) }
        XCTAssertEqual(body.bytes, Array("abcde".utf8))
        XCTAssertEqual(body.totalLength, 8)
        XCTAssertTrue(body.truncated)
        chunk.withUnsafeBytes { body.append($0) }
        XCTAssertEqual(body.bytes.count, 5)
        XCTAssertEqual(body.totalLength, 16)
    }
}
