import Foundation
import XCTest
import Policy

/// Records deliveries from any thread.
final class Deliveries: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StageVerdict] = []
    func add(_ v: StageVerdict) { lock.withLock { items.append(v) } }
    var count: Int { lock.withLock { items.count } }
    var all: [StageVerdict] { lock.withLock { items } }
}

private func isProceed(_ v: StageVerdict?) -> Bool { if case .proceed = v { return true }; return false }
private func respondCode(_ v: StageVerdict?) -> String? { if case .respond(let r) = v { return r.code }; return nil }

final class HoldTicketTests: XCTestCase {
    func testResolveBeforeBindIsDeliveredAtBind() {
        let t = HoldTicket(label: "early")
        XCTAssertTrue(t.isPending)
        XCTAssertTrue(t.resolve(.respond(LocalResponse(status: 403, code: "early", message: "m"))))
        XCTAssertFalse(t.isPending, "resolved early: no longer pending")
        XCTAssertFalse(t.resolve(.proceed), "only the first resolution counts")
        let d = Deliveries()
        t.bind { d.add($0) }
        XCTAssertEqual(d.count, 1, "bind delivers the stored verdict")
        XCTAssertEqual(respondCode(d.all.first), "early")
        t.bind { d.add($0) }
        XCTAssertEqual(d.count, 1, "a second bind delivers nothing")
    }

    func testResolveAfterBindDeliversOnce() {
        let t = HoldTicket(label: "late")
        let d = Deliveries()
        t.bind { d.add($0) }
        XCTAssertEqual(d.count, 0, "bind alone delivers nothing")
        XCTAssertTrue(t.isPending)
        XCTAssertTrue(t.resolve(.proceed))
        XCTAssertEqual(d.count, 1)
        XCTAssertTrue(isProceed(d.all.first))
        XCTAssertFalse(t.isPending)
        XCTAssertFalse(t.resolve(.proceed))
        XCTAssertEqual(d.count, 1, "double resolve delivers once")
    }

    func testCancelRefusesLaterResolution() {
        let t = HoldTicket(label: "c")
        let d = Deliveries()
        t.bind { d.add($0) }
        t.cancel()
        XCTAssertFalse(t.isPending)
        XCTAssertFalse(t.resolve(.proceed))
        XCTAssertEqual(d.count, 0)
    }

    func testCancelBeforeBindThenBindDeliversNothing() {
        let t = HoldTicket(label: "c2")
        t.cancel()
        let d = Deliveries()
        t.bind { d.add($0) }
        XCTAssertFalse(t.resolve(.proceed))
        XCTAssertEqual(d.count, 0)
    }

    func testConcurrentResolversOnlyOneWins() {
        let t = HoldTicket(label: "race")
        let d = Deliveries()
        t.bind { d.add($0) }
        let wins = Deliveries()
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if t.resolve(.proceed) { wins.add(.proceed) }
        }
        XCTAssertEqual(wins.count, 1)
        XCTAssertEqual(d.count, 1)
    }
}
