import Foundation
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

    func testAFailedFlushFailsTheRecordsItWasForAndEveryLaterOne() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let stats = StatisticsBox()
        let wal = dir.path + "/later/audit.db-wal"
        let syncer = WALSyncer(walPath: wal, stats: stats, log: testLog)
        let done = Completions()
        syncer.enqueue([(done.callback("ok"), .success(())),
                        (done.callback("refused"), .failure(.duplicateStart(requestID: "x")))])
        done.wait(for: 2)
        guard case .walSyncFailed(let e)? = done.result("ok")!.failure else { return XCTFail("acknowledged without a flush") }
        XCTAssertEqual(e.syscall, "open")
        XCTAssertEqual(e.errno, ENOENT)
        guard case .duplicateStart? = done.result("refused")!.failure else { return XCTFail("its own failure was replaced") }
        // The file exists now, and a flush of it would succeed: nothing
        // written before can be vouched for, so the failure sticks.
        try FileManager.default.createDirectory(atPath: dir.path + "/later", withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: wal, contents: Data("x".utf8)))
        syncer.enqueue([(done.callback("later"), .success(()))])
        done.wait(for: 3)
        guard case .walSyncFailed? = done.result("later")!.failure else { return XCTFail("acknowledged after a failed flush") }
        syncer.close()
        XCTAssertEqual(stats.snapshot.failedWALSyncs, 2)
    }

    /// A rolled-back batch that started an exchange and then finished it
    /// leaves the exchange unknown, not in flight.
    func testUndoRevertsNewestFirst() {
        var index = InFlightIndex()
        var undo = BatchUndo()
        let row = InFlightIndex.Row(exchangeID: 1, sessionID: 1)
        index.insert("x", row)
        undo.inserted("x")
        index.remove("x")
        undo.removed("x", row)
        index.insert("old", row)
        undo.revert(&index)
        XCTAssertNil(index.lookup("x"))
        XCTAssertEqual(index.lookup("old"), row, "entries the batch did not touch stay")
    }
}
