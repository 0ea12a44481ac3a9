import GatehouseCore
import XCTest

final class RequestIDGeneratorTests: XCTestCase {
    /// 32 lower-case hex digits; the first 12 are the time in milliseconds,
    /// so IDs made later sort after IDs made earlier.
    func testIDsAreHexAndOrderedByTime() {
        var g = RequestIDGenerator()
        let ms: UInt64 = 0x0193_8A2B_4C5D
        let id = g.make(atMillis: ms)
        XCTAssertEqual(id.utf8.count, 32)
        XCTAssertTrue(id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }, id)
        XCTAssertEqual(String(id.prefix(12)), "01938a2b4c5d")
        var previous = g.make(atMillis: 1_000)
        for t in stride(from: UInt64(1_001), to: 1_200, by: 1) {
            let next = g.make(atMillis: t)
            XCTAssertLessThan(previous, next)
            previous = next
        }
    }

    /// The 80 bits after the time are random: IDs made in the same
    /// millisecond differ, and do not repeat over many draws.
    func testIDsInTheSameMillisecondAreDistinct() {
        var g = RequestIDGenerator()
        var seen = Set<String>()
        for _ in 0..<10_000 { seen.insert(g.make(atMillis: 42)) }
        XCTAssertEqual(seen.count, 10_000)
        let now = g.make()
        XCTAssertTrue(RequestIDGenerator.isAcceptable(now))
    }

    func testIncomingIDsAreCheckedAgainstAConservativeSet() {
        XCTAssertTrue(RequestIDGenerator.isAcceptable("abc-DEF_1.2:3"))
        XCTAssertFalse(RequestIDGenerator.isAcceptable(""))
        XCTAssertFalse(RequestIDGenerator.isAcceptable("a b"))
        XCTAssertFalse(RequestIDGenerator.isAcceptable(String(repeating: "a", count: 129)))
    }
}
