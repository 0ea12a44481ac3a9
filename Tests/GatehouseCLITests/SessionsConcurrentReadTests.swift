import Foundation
@testable import gatehouse
import GatehouseCore
import Recording
import Synchronization
import XCTest

/// The subcommands read while a `Recorder` (as the daemon would) is writing.
final class SessionsConcurrentReadTests: XCTestCase {
    func testListAndExportWhileTheRecorderWrites() throws {
        let fixture = try RecordingFixture()
        let recorder = try Recorder(configuration: RecorderConfiguration(path: fixture.dbPath),
                                    log: LogSink(maxPendingBytes: 1 << 20))
        let written = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        Thread.detachNewThread {
            for i in 0..<3000 {
                let id = "load-\(i)"
                let start = ExchangeStart(requestID: id, startedAt: RecordingFixture.base + 10_000_000 + Int64(i),
                                          route: "load", clientAddress: "10.0.0.50:1000",
                                          identity: RecordedIdentity(subject: "loader"), method: "POST",
                                          target: "/load", requestHeaders: [HeaderField("Authorization", "Bearer SECRET")],
                                          requestBody: CapturedBody(Array(repeating: 0x61, count: 512)))
                let outcome = ExchangeOutcome(requestID: id, finishedAt: RecordingFixture.base + 10_000_000 + Int64(i),
                                              outcome: .completed, responseStatus: 200)
                _ = recorder.submit(.complete(start, outcome))
                if i % 100 == 99 {
                    recorder.flush()
                    written.store(i + 1, ordering: .releasing)
                }
            }
            done.store(true, ordering: .releasing)
        }
        var lastCount = 0
        var rounds = 0
        while !done.load(ordering: .acquiring) || rounds < 3 {
            let committedBefore = written.load(ordering: .acquiring)
            let export = try runSessions(SessionsExport.self, ["--db", fixture.dbPath, "--route", "load"])
            let count = export.split(separator: "\n").count
            XCTAssertGreaterThanOrEqual(count, committedBefore, "an export missed committed exchanges")
            XCTAssertGreaterThanOrEqual(count, lastCount)
            XCTAssertFalse(export.contains("SECRET"))
            lastCount = count
            let list = try runSessions(SessionsList.self, ["--db", fixture.dbPath, "--json", "--subject", "loader"])
            XCTAssertTrue(list.hasPrefix("["), list)
            rounds += 1
        }
        XCTAssertTrue(recorder.close())
        XCTAssertEqual(try runSessions(SessionsExport.self, ["--db", fixture.dbPath, "--route", "load"])
            .split(separator: "\n").count, 3000)
        XCTAssertGreaterThanOrEqual(rounds, 3)
    }
}
