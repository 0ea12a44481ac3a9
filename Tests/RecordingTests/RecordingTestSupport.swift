import Foundation
import GatehouseCore
@testable import Recording
import Synchronization
import XCTest

/// A fresh temporary directory per test, removed afterwards.
final class TempDir {
    let path: String
    init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gh-recording-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }
    var dbPath: String { path + "/audit.db" }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Collects completion results from any thread.
final class Completions: Sendable {
    private let results = Mutex<[String: Result<Void, RecordingError>]>([:])

    func callback(_ id: String) -> RecordCompletion {
        { r in self.results.withLock { $0[id] = r } }
    }

    var count: Int { results.withLock { $0.count } }
    func result(_ id: String) -> Result<Void, RecordingError>? { results.withLock { $0[id] } }
    var all: [String: Result<Void, RecordingError>] { results.withLock { $0 } }

    /// Waits (bounded) until `n` results arrived.
    func wait(for n: Int, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) {
        let ok = waitUntil(timeout: timeout) { self.count >= n }
        XCTAssertTrue(ok, "only \(count) of \(n) completions arrived", file: file, line: line)
    }
}

/// Polls `condition` every 5 ms until it holds or `timeout` passes.
@discardableResult
func waitUntil(timeout: TimeInterval = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// A sink of its own for the tests (alerts still go to stderr, as JSON lines).
let testLog = LogSink(maxPendingBytes: 1 << 20)

func makeStart(_ id: String, at time: Int64 = RecordingClock.nowMillis(), subject: String? = "alice",
               route: String = "api", headers: [HeaderField] = [HeaderField("Host", "svc.internal")],
               body: [UInt8] = Array("{\"q\":1}".utf8), decisions: [RecordedDecision] = [],
               durability: DurabilityMode = .strict, client: String = "10.0.0.7:40000",
               target: String = "/v1/items") -> ExchangeStart {
    ExchangeStart(requestID: id, startedAt: time, route: route, clientAddress: client,
                  identity: subject.map { RecordedIdentity(subject: $0, clientID: "agent-1", groups: ["eng"]) },
                  method: "POST", target: target, requestHeaders: HeaderList(headers),
                  requestBody: CapturedBody(body), decisions: decisions, durability: durability)
}

func makeOutcome(_ id: String, at time: Int64 = RecordingClock.nowMillis(), outcome: Outcome = .completed,
                 status: Int? = 200, headers: [HeaderField] = [HeaderField("Content-Type", "application/json")],
                 body: [UInt8] = Array("{\"ok\":true}".utf8), durability: DurabilityMode = .strict) -> ExchangeOutcome {
    ExchangeOutcome(requestID: id, finishedAt: time, outcome: outcome, responseStatus: status,
                    responseHeaders: HeaderList(headers), responseBody: CapturedBody(body),
                    timings: PhaseTimings(policy: 20_000, connect: 100_000, firstByte: 900_000, total: 1_500_000),
                    bytesIn: 120, bytesOut: 340, upstreamAddress: "10.1.0.2:8080", durability: durability)
}

/// Opens a recorder on `dir` with `adjust` applied to the configuration.
func openRecorder(_ dir: TempDir, _ adjust: (inout RecorderConfiguration) -> Void = { _ in }) throws -> Recorder {
    var c = RecorderConfiguration(path: dir.dbPath)
    adjust(&c)
    return try Recorder(configuration: c, log: testLog)
}

/// Writes a file as an older Gatehouse left it: the first `version`
/// migrations applied, then `data` (SQL run in the same transaction).
func writeLegacyFile(_ path: String, version: Int, data: String) throws {
    let db = try Database(path: path, mode: .readWriteCreate)
    try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
    try db.execute("PRAGMA journal_mode = WAL")
    try db.execute("PRAGMA foreign_keys = ON")
    try db.execute("BEGIN")
    for v in 0..<version { try Migrations.apply(version: v + 1, db) }
    try db.execute("PRAGMA user_version = \(version)")
    try db.execute(data)
}

/// A second, independent connection for checking what is committed.
func count(_ path: String, _ sql: String) throws -> Int64 {
    let db = try Database(path: path, mode: .readOnly)
    return try db.scalarInt(sql) ?? -1
}

extension Result where Success == Void {
    var isSuccess: Bool { if case .success = self { return true } else { return false } }
    var failure: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}
