import GatehouseCore
@testable import Recording
import XCTest

/// Strict records are acknowledged only after the WAL was flushed, off the
/// writer thread; a flush that fails fails the records it was for.
final class WALSyncerTests: XCTestCase {
    func testStrictBatchesAreFlushedBeforeTheirCompletionsAndAsyncOnesAreNot() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        defer { r.close() }
        let done = Completions()
        XCTAssertTrue(r.submit(.start(makeStart("async-1", durability: .async)), completion: done.callback("a")))
        done.wait(for: 1)
        XCTAssertTrue(done.result("a")!.isSuccess)
        XCTAssertEqual(r.statistics.walSyncs, 0, "an async-only batch is not flushed")
        XCTAssertTrue(r.submit(.start(makeStart("strict-1")), completion: done.callback("s")))
        done.wait(for: 2)
        XCTAssertTrue(done.result("s")!.isSuccess)
        XCTAssertGreaterThanOrEqual(r.statistics.walSyncs, 1, "the strict record was acknowledged after a flush")
        XCTAssertEqual(r.statistics.failedWALSyncs, 0)
    }

    func testAFailedFlushFailsTheRecordsItWasFor() {
        let stats = StatisticsBox()
        let syncer = WALSyncer(walPath: "/nonexistent-gatehouse-dir/audit.db-wal", stats: stats)
        let done = Completions()
        syncer.enqueue([(done.callback("ok"), .success(())),
                        (done.callback("refused"), .failure(.duplicateStart(requestID: "x")))])
        done.wait(for: 2)
        guard case .walSyncFailed(let e)? = done.result("ok")!.failure else { return XCTFail("acknowledged without a flush") }
        XCTAssertEqual(e.syscall, "open")
        XCTAssertEqual(e.errno, ENOENT)
        guard case .duplicateStart? = done.result("refused")!.failure else { return XCTFail("its own failure was replaced") }
        syncer.close()
        XCTAssertEqual(stats.snapshot.failedWALSyncs, 1)
    }
}
