import GatehouseCore
import XCTest

/// SplitMix64: a tiny deterministic generator so randomized tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class ByteQueueTests: XCTestCase {
    func testEmptyQueue() {
        var q = ByteQueue()
        XCTAssertTrue(q.isEmpty)
        XCTAssertEqual(q.count, 0)
        XCTAssertEqual(q.readableBytes(), [])
        q.withReadable { XCTAssertEqual($0.count, 0) }
        q.append([UInt8]())
        [UInt8]().withUnsafeBytes { q.append($0) }
        XCTAssertTrue(q.isEmpty)
        XCTAssertEqual(q.capacity, 0, "appending nothing must not allocate")
    }

    func testAppendConsumeInOrder() {
        var q = ByteQueue()
        q.append(Array("hello ".utf8))
        Array("world".utf8).withUnsafeBytes { q.append($0) }
        q.append(UInt8(ascii: "!"))
        XCTAssertEqual(q.count, 12)
        XCTAssertEqual(String(decoding: q.readableBytes(), as: UTF8.self), "hello world!")
        q.consume(6)
        XCTAssertEqual(q.count, 6)
        XCTAssertEqual(String(decoding: q.readableBytes(), as: UTF8.self), "world!")
        q.withReadable { XCTAssertEqual(Array($0), Array("world!".utf8)) }
        q.consume(6)
        XCTAssertTrue(q.isEmpty)
    }

    func testConsumingEverythingKeepsCapacityUntilRelease() {
        var q = ByteQueue()
        q.append([UInt8](repeating: 7, count: 1000))
        q.consume(1000)
        XCTAssertTrue(q.isEmpty)
        XCTAssertGreaterThanOrEqual(q.capacity, 1000, "a fully consumed queue keeps its buffer for reuse")
        q.releaseIfEmpty()
        XCTAssertEqual(q.capacity, 0, "releaseIfEmpty frees an empty queue's storage")
        q.append([1, 2, 3])
        XCTAssertEqual(q.readableBytes(), [1, 2, 3])
    }

    func testReleaseIfEmptyKeepsNonEmptyQueue() {
        var q = ByteQueue()
        q.append([UInt8](repeating: 1, count: 100))
        q.consume(99)
        q.releaseIfEmpty()
        XCTAssertEqual(q.readableBytes(), [1])
        XCTAssertGreaterThan(q.capacity, 0)
    }

    func testCompactionPreservesContent() {
        var q = ByteQueue()
        let first = (0..<200).map { UInt8($0) }
        q.append(first)
        q.consume(150)                         // dead prefix dominates
        let second = (0..<50).map { UInt8(255 - $0) }
        q.append(second)                       // triggers compaction
        XCTAssertEqual(q.readableBytes(), Array(first[150...]) + second)
    }

    func testWithAppendableArray() {
        var q = ByteQueue()
        q.append([1, 2, 3, 4])
        q.consume(3)
        let r = q.withAppendableArray { arr -> Int in
            arr.append(contentsOf: [5, 6])
            return 42
        }
        XCTAssertEqual(r, 42)
        XCTAssertEqual(q.readableBytes(), [4, 5, 6])
    }

    func testRemoveAll() {
        var q = ByteQueue()
        q.append([1, 2, 3])
        q.consume(1)
        q.removeAll()
        XCTAssertTrue(q.isEmpty)
        XCTAssertEqual(q.capacity, 0)
        q.append([9])
        XCTAssertEqual(q.readableBytes(), [9])
    }

    /// Random appends (all three entry points), consumes, releases and
    /// appendable-array writes, checked against a plain reference array.
    func testRandomizedAgainstReference() {
        var rng = SeededGenerator(seed: 0x6A7E_4005_E)
        var q = ByteQueue()
        var reference: [UInt8] = []
        var nextByte: UInt8 = 0
        func fresh(_ n: Int) -> [UInt8] {
            (0..<n).map { _ in nextByte &+= 1; return nextByte }
        }
        for step in 0..<20_000 {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<30:
                // Mostly small, occasionally large (> 64 KiB dead-prefix threshold).
                let n = Int.random(in: 0..<100, using: &rng) < 3
                    ? Int.random(in: 1..<100_000, using: &rng) : Int.random(in: 0..<300, using: &rng)
                let bytes = fresh(n)
                q.append(bytes)
                reference.append(contentsOf: bytes)
            case 30..<45:
                let bytes = fresh(Int.random(in: 0..<300, using: &rng))
                bytes.withUnsafeBytes { q.append($0) }
                reference.append(contentsOf: bytes)
            case 45..<55:
                let b = fresh(1)[0]
                q.append(b)
                reference.append(b)
            case 55..<60:
                let bytes = fresh(Int.random(in: 0..<50, using: &rng))
                q.withAppendableArray { $0.append(contentsOf: bytes) }
                reference.append(contentsOf: bytes)
            case 60..<92:
                guard !reference.isEmpty else { continue }
                let n = Int.random(in: 0..<100, using: &rng) < 20
                    ? reference.count : Int.random(in: 1...reference.count, using: &rng)
                q.consume(n)
                reference.removeFirst(n)
            default:
                q.releaseIfEmpty()
                if reference.isEmpty { XCTAssertEqual(q.capacity, 0, "step \(step)") }
            }
            XCTAssertEqual(q.count, reference.count, "step \(step)")
            XCTAssertEqual(q.isEmpty, reference.isEmpty, "step \(step)")
            if step % 50 == 0 || q.count < 64 {
                let content = q.withReadable { Array($0) }
                if content != reference {
                    XCTFail("content diverged at step \(step)")
                    return
                }
                XCTAssertEqual(q.readableBytes(), reference, "step \(step)")
            }
        }
        XCTAssertEqual(q.readableBytes(), reference)
    }
}
