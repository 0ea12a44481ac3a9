@testable import Recording
import Synchronization
import XCTest

final class RecorderOrderingTests: XCTestCase {
    /// Strict mode's contract: when a completion reports success, the row is
    /// committed and visible to any other connection.
    func testCompletionRunsOnlyAfterCommit() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        defer { r.close() }
        let path = dir.dbPath
        let seen = Mutex<[String: Int64]>([:])
        let done = Completions()
        for i in 0..<200 {
            let id = "req-\(i)"
            let ok = r.submit(.start(makeStart(id))) { result in
                XCTAssertTrue(result.isSuccess)
                let n = (try? count(path, "SELECT count(*) FROM exchanges WHERE request_id = '\(id)'")) ?? -1
                seen.withLock { $0[id] = n }
                done.callback(id)(result)
            }
            XCTAssertTrue(ok)
        }
        done.wait(for: 200)
        let rows = seen.withLock { $0 }
        XCTAssertEqual(rows.count, 200)
        XCTAssertTrue(rows.values.allSatisfy { $0 == 1 }, "a completion ran before its row was visible")
    }

    func testOutcomeCompletesTheSameRow() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        let done = Completions()
        XCTAssertTrue(r.submit(.start(makeStart("x", decisions: [RecordedDecision(stage: "inspection", ruleID: "pii", action: "mask", detectors: ["email"])])), completion: done.callback("s")))
        XCTAssertTrue(r.submit(.outcome(makeOutcome("x")), completion: done.callback("o")))
        done.wait(for: 2)
        XCTAssertTrue(done.result("s")!.isSuccess)
        XCTAssertTrue(done.result("o")!.isSuccess)
        r.close()
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges"), 1)
        XCTAssertEqual(try count(dir.dbPath, "SELECT response_status FROM exchanges WHERE request_id = 'x'"), 200)
        XCTAssertEqual(try count(dir.dbPath, "SELECT t_total_us FROM exchanges WHERE request_id = 'x'"), 1500)
        XCTAssertEqual(try count(dir.dbPath, "SELECT completed_count FROM sessions"), 1)
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM decisions WHERE action = 'mask'"), 1)
    }

    func testRecordLevelFailuresDoNotFailTheBatch() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        defer { r.close() }
        let done = Completions()
        XCTAssertTrue(r.submit(.start(makeStart("dup")), completion: done.callback("first")))
        XCTAssertTrue(r.submit(.start(makeStart("dup")), completion: done.callback("second")))
        XCTAssertTrue(r.submit(.outcome(makeOutcome("nobody")), completion: done.callback("unknown")))
        XCTAssertTrue(r.submit(.outcome(makeOutcome("dup")), completion: done.callback("outcome")))
        XCTAssertTrue(r.submit(.outcome(makeOutcome("dup")), completion: done.callback("again")))
        XCTAssertTrue(r.submit(.complete(makeStart("denied"), makeOutcome("denied", outcome: .denied, status: 403)),
                               completion: done.callback("complete")))
        done.wait(for: 6)
        XCTAssertTrue(done.result("first")!.isSuccess)
        guard case .duplicateStart? = done.result("second")!.failure else { return XCTFail("duplicate start accepted") }
        guard case .unknownExchange? = done.result("unknown")!.failure else { return XCTFail() }
        XCTAssertTrue(done.result("outcome")!.isSuccess)
        guard case .unknownExchange? = done.result("again")!.failure else { return XCTFail("second outcome accepted") }
        XCTAssertTrue(done.result("complete")!.isSuccess)
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges"), 2)
        XCTAssertEqual(try count(dir.dbPath, "SELECT sum(exchange_count) FROM sessions"), 2,
                       "the rejected duplicate start left no trace in session counts")
        XCTAssertEqual(r.statistics.rejectedRecords, 3)
    }
}
