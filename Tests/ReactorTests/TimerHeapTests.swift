@testable import Reactor
import XCTest

final class TimerHeapTests: XCTestCase {
    func testEmpty() {
        var heap = TimerHeap()
        XCTAssertTrue(heap.isEmpty)
        XCTAssertEqual(heap.count, 0)
        XCTAssertNil(heap.earliest)
        XCTAssertNil(heap.pop())
    }

    func testPopsRandomDeadlinesInOrder() {
        var rng = SeededGenerator(seed: 0x71_3E_4E_A9)
        var heap = TimerHeap()
        var deadlines: [UInt64] = []
        for i in 0..<5_000 {
            // Narrow range so duplicates occur.
            let d = UInt64.random(in: 1...2_000, using: &rng)
            deadlines.append(d)
            heap.push(.init(deadline: d, key: UInt64(i)))
            XCTAssertEqual(heap.earliest, deadlines.min())
        }
        XCTAssertEqual(heap.count, 5_000)
        var popped: [TimerHeap.Entry] = []
        while let e = heap.pop(), popped.count <= 5_000 { popped.append(e) }
        XCTAssertTrue(heap.isEmpty)
        XCTAssertEqual(popped.map(\.deadline), deadlines.sorted())
        // Every entry comes back exactly once, with its own key.
        XCTAssertEqual(Set(popped.map(\.key)).count, 5_000)
        for e in popped { XCTAssertEqual(deadlines[Int(e.key)], e.deadline) }
    }

    func testInterleavedPushPopAgainstReference() {
        var rng = SeededGenerator(seed: 12345)
        var heap = TimerHeap()
        var reference: [UInt64] = []    // kept sorted
        var key: UInt64 = 0
        for step in 0..<20_000 {
            if reference.isEmpty || Int.random(in: 0..<10, using: &rng) < 6 {
                let d = UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0..<64, using: &rng)
                heap.push(.init(deadline: d, key: key))
                key += 1
                let at = reference.firstIndex { $0 > d } ?? reference.count
                reference.insert(d, at: at)
            } else {
                let e = heap.pop()
                XCTAssertEqual(e?.deadline, reference.removeFirst(), "step \(step)")
            }
            XCTAssertEqual(heap.count, reference.count)
            XCTAssertEqual(heap.earliest, reference.first, "step \(step)")
            if heap.earliest != reference.first { return }
        }
    }

    func testHeapInvariantHolds() {
        var rng = SeededGenerator(seed: 99)
        var heap = TimerHeap()
        for i in 0..<1_000 {
            heap.push(.init(deadline: UInt64.random(in: 0..<500, using: &rng), key: UInt64(i)))
            if i % 3 == 0 { _ = heap.pop() }
            let e = heap.entries
            for k in 1..<max(e.count, 1) {
                XCTAssertLessThanOrEqual(e[(k - 1) / 2].deadline, e[k].deadline, "heap property broken at \(k)")
            }
        }
    }
}
