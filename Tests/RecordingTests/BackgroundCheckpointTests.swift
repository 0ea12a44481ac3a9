import Foundation
@testable import Recording
import XCTest

/// Checkpoints under load run on their own thread; the writer catches up
/// itself so the WAL stays bounded even though a background checkpoint
/// never finds the WAL completely copied while the writer keeps writing.
final class BackgroundCheckpointTests: XCTestCase {
    func testCheckpointsRunInTheBackgroundAndTheWALStaysBounded() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let checkpointFrames = 40
        let r = try openRecorder(dir) { c in
            c.wal.checkpointFrames = checkpointFrames
            c.wal.checkpointIntervalMs = 60_000  // no time-based or quiet checkpoints
            c.maxBatchRecords = 16
        }
        defer { r.close() }
        let body = [UInt8](repeating: 0x42, count: 3000)
        let done = Completions()
        let total = 1200
        var largestWAL = 0
        let walPath = dir.dbPath + "-wal"
        for i in 0..<total {
            XCTAssertTrue(r.submit(.start(makeStart("bg-\(i)", body: body, durability: .async)),
                                   completion: done.callback("bg-\(i)")))
            if i % 100 == 99 {
                let size = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
                largestWAL = max(largestWAL, size)
            }
        }
        done.wait(for: total)
        XCTAssertTrue(done.all.values.allSatisfy(\.isSuccess))
        XCTAssertTrue(r.flush())
        let stats = r.statistics
        XCTAssertGreaterThan(stats.backgroundCheckpoints, 0, "\(stats)")
        // Each record is one page in the WAL or more (a 3,000-byte body,
        // 4 KiB pages): unchecked, the WAL would reach ~1,200 frames.
        let frameBytes = 4096 + 24
        let bound = (checkpointFrames * RecordWriter.waitFactor + 2 * 16 * 3) * frameBytes + 32
        let finalWAL = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
        XCTAssertLessThanOrEqual(max(largestWAL, finalWAL), bound, "\(stats)")
        XCTAssertEqual(try Database(path: dir.dbPath, mode: .readOnly).scalarInt("SELECT count(*) FROM exchanges"), Int64(total))
    }

    /// With strict records flowing the writer checkpoints itself (beside
    /// it, the checkpoint's fsync would delay the WAL flushes strict
    /// commits wait for).
    func testStrictTrafficCheckpointsOnTheWriter() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir) { c in
            c.wal.checkpointFrames = 20
            c.wal.checkpointIntervalMs = 60_000
        }
        defer { r.close() }
        let body = [UInt8](repeating: 0x43, count: 3000)
        let done = Completions()
        for i in 0..<200 {
            XCTAssertTrue(r.submit(.start(makeStart("s-\(i)", body: body, durability: .strict)), completion: done.callback("s-\(i)")))
            if i % 20 == 19 { done.wait(for: i + 1) }
        }
        done.wait(for: 200)
        XCTAssertTrue(r.flush())
        let stats = r.statistics
        XCTAssertGreaterThan(stats.checkpoints, 0, "\(stats)")
        XCTAssertEqual(stats.backgroundCheckpoints, 0, "\(stats)")
    }

    /// A checkpoint handed to the background thread reports its result
    /// once; the writer can wait for it before running its own.
    func testBackgroundCheckpointReportsOnceAndWaitIdle() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        XCTAssertTrue(r.submit(.start(makeStart("one"))))
        XCTAssertTrue(r.flush())
        r.close()
        let bg = try BackgroundCheckpoint(path: dir.dbPath)
        XCTAssertTrue(bg.start())
        bg.waitIdle()
        XCTAssertFalse(bg.isBusy)
        guard case .success(let result)? = bg.takeResult() else { return XCTFail("no result") }
        XCTAssertFalse(result.busy)
        XCTAssertNil(bg.takeResult(), "a result is taken once")
        bg.close()
        XCTAssertFalse(bg.start(), "closed")
    }
}
