@testable import Recording
import XCTest

/// The writer's session cache: the latest session per grouping key,
/// updated in place by joins and outcomes, remapped when a key starts a
/// new session, and bounded.
final class SessionCacheTests: XCTestCase {
    let alice = SessionGrouping.Key(kind: .identity, value: "alice")
    let bob = SessionGrouping.Key(kind: .identity, value: "bob")

    func testOutcomesMoveTheLatestSessionsLastActivityForwardOnly() {
        var cache = SessionCache()
        XCTAssertNil(cache.lookup(alice))
        cache.remember(alice, id: 1, lastSeen: 100)
        XCTAssertEqual(cache.lookup(alice)?.candidate, .init(id: 1, lastSeen: 100))
        cache.touch(id: 1, at: 200)
        XCTAssertEqual(cache.lookup(alice)?.candidate, .init(id: 1, lastSeen: 200))
        cache.touch(id: 1, at: 150)  // an outcome that finished earlier
        XCTAssertEqual(cache.lookup(alice)?.lastSeen, 200)
        cache.lookup(alice)?.lastSeen = 250  // a join updates the entry in place
        XCTAssertEqual(cache.lookup(alice)?.lastSeen, 250)
        cache.touch(id: 9, at: 999)  // not cached: nothing happens
        XCTAssertEqual(cache.lookup(alice)?.candidate, .init(id: 1, lastSeen: 250))
    }

    func testANewSessionForAKeyReplacesTheOldOneWhichOutcomesNoLongerTouch() {
        var cache = SessionCache()
        cache.remember(alice, id: 1, lastSeen: 100)
        cache.remember(bob, id: 2, lastSeen: 100)
        cache.remember(alice, id: 3, lastSeen: 500)  // alice was idle past the gap
        XCTAssertEqual(cache.lookup(alice)?.candidate, .init(id: 3, lastSeen: 500))
        cache.touch(id: 1, at: 900)  // a late outcome of the old session
        XCTAssertEqual(cache.lookup(alice)?.candidate, .init(id: 3, lastSeen: 500))
        cache.touch(id: 3, at: 600)
        XCTAssertEqual(cache.lookup(alice)?.lastSeen, 600)
        XCTAssertEqual(cache.lookup(bob)?.candidate, .init(id: 2, lastSeen: 100))
        cache.remember(bob, id: 2, lastSeen: 700)  // the same session remembered again
        cache.touch(id: 2, at: 800)
        XCTAssertEqual(cache.lookup(bob)?.candidate, .init(id: 2, lastSeen: 800))
    }

    func testPastItsLimitTheCacheStartsOverAndRemovingAllForgetsEverything() {
        var cache = SessionCache(limit: 2)
        cache.remember(alice, id: 1, lastSeen: 1)
        cache.remember(bob, id: 2, lastSeen: 2)
        cache.remember(alice, id: 4, lastSeen: 4)  // a known key: no start-over
        XCTAssertNotNil(cache.lookup(bob))
        let carol = SessionGrouping.Key(kind: .address, value: "10.0.0.3")
        cache.remember(carol, id: 3, lastSeen: 3)
        XCTAssertNil(cache.lookup(alice))
        XCTAssertNil(cache.lookup(bob))
        XCTAssertEqual(cache.lookup(carol)?.candidate, .init(id: 3, lastSeen: 3))
        cache.touch(id: 2, at: 10)  // forgotten with its key
        cache.removeAll()
        XCTAssertNil(cache.lookup(carol))
        cache.touch(id: 3, at: 10)
        XCTAssertNil(cache.lookup(carol))
    }
}
