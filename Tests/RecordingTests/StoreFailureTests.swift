import Foundation
@testable import Recording
import XCTest

final class StoreFailureTests: XCTestCase {
    /// A full store (max_page_count reached) fails every record of the
    /// batch through its completion; raising the limit lets later batches
    /// commit again.
    func testFullStoreFailsCompletionsThenRecovers() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        defer { r.close() }
        XCTAssertTrue(r.submit(.start(makeStart("before"))))
        XCTAssertTrue(r.flush())

        XCTAssertTrue(r.onWriter { w in
            // Free pages first (so that no write fits in them), then cap
            // the file at its size: every 64 KiB record needs new pages.
            try? w.db.execute("PRAGMA incremental_vacuum")
            let pages = (try? w.db.scalarInt("PRAGMA page_count")) ?? 0
            _ = try? w.db.scalarInt("PRAGMA max_page_count = \(pages)")
        })
        let done = Completions()
        let big = [UInt8](repeating: 0x61, count: 64 * 1024)
        for i in 0..<10 {
            XCTAssertTrue(r.submit(.start(makeStart("full-\(i)", body: big)), completion: done.callback("full-\(i)")))
        }
        done.wait(for: 10)
        for (_, result) in done.all {
            guard case .storage(let e)? = result.failure else { return XCTFail("expected storage failure, got \(result)") }
            XCTAssertEqual(e.primaryCode, 13, "SQLITE_FULL: \(e)")
        }
        XCTAssertGreaterThan(r.statistics.failedBatches, 0)

        XCTAssertTrue(r.onWriter { w in _ = try? w.db.scalarInt("PRAGMA max_page_count = 1073741823") })
        let after = Completions()
        for i in 0..<10 {
            XCTAssertTrue(r.submit(.start(makeStart("after-\(i)", body: big)), completion: after.callback("after-\(i)")))
        }
        after.wait(for: 10)
        XCTAssertTrue(after.all.values.allSatisfy(\.isSuccess))
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges WHERE request_id LIKE 'full-%'"), 0)
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM exchanges WHERE request_id LIKE 'after-%'"), 10)
        XCTAssertEqual(try count(dir.dbPath, "SELECT count(*) FROM sessions"), 1, "sessions from failed batches were rolled back")
    }

    /// A store that turns read-only at run time (simulated with
    /// `query_only`) fails batches with SQLITE_READONLY and recovers.
    func testReadOnlyStoreFailsThenRecovers() throws {
        let dir = TempDir()
        defer { dir.remove() }
        let r = try openRecorder(dir)
        defer { r.close() }
        XCTAssertTrue(r.onWriter { w in try? w.db.execute("PRAGMA query_only = 1") })
        let done = Completions()
        XCTAssertTrue(r.submit(.start(makeStart("ro")), completion: done.callback("ro")))
        done.wait(for: 1)
        guard case .storage(let e)? = done.result("ro")?.failure else { return XCTFail("expected failure") }
        XCTAssertEqual(e.primaryCode, 8, "SQLITE_READONLY: \(e)")

        XCTAssertTrue(r.onWriter { w in try? w.db.execute("PRAGMA query_only = 0") })
        XCTAssertTrue(r.submit(.start(makeStart("rw")), completion: done.callback("rw")))
        done.wait(for: 2)
        XCTAssertTrue(done.result("rw")!.isSuccess)
    }

    /// A database file that cannot be written is refused at open, with the
    /// path in the error. Root ignores permission bits, so the file is made
    /// immutable with chattr; skipped where that is unavailable.
    func testReadOnlyFileIsRefusedAtOpen() throws {
        let dir = TempDir()
        defer { dir.remove() }
        try openRecorder(dir).close()
        if geteuid() != 0 {
            chmod(dir.dbPath, 0o444)
        } else {
            guard run("/usr/bin/chattr", ["+i", dir.dbPath]) else { throw XCTSkip("chattr +i unavailable") }
        }
        defer { _ = run("/usr/bin/chattr", ["-i", dir.dbPath]) }
        XCTAssertThrowsError(try openRecorder(dir)) { error in
            switch error as? RecordingError {
            case .readOnly(let path)?: XCTAssertEqual(path, dir.dbPath)
            case .storage(let e)?: XCTAssertTrue([8, 14].contains(e.primaryCode), "\(e)")
            default: XCTFail("unexpected \(error)")
            }
        }
        // Readers still work on it.
        XCTAssertNoThrow(try RecordingReader(path: dir.dbPath).listSessions())
    }

    private func run(_ tool: String, _ args: [String]) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: tool) else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
