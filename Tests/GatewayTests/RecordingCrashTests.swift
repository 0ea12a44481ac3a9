#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import GatehouseTestSupport
import Recording
import Synchronization

/// The crash test of the session-recording issue: the real daemon, in strict
/// mode, under load from a few keep-alive clients, is killed with SIGKILL at
/// random points and restarted on the same database, at least 20 times.
/// After every restart the database must pass `PRAGMA integrity_check`, and
/// - every request ID for which a client received a complete response must
///   have a row whose outcome is committed as `completed` (strict: the outcome is committed
///   before the response's last byte is released);
/// - every request ID the upstream saw must have a row (strict: the start is
///   committed before the first byte goes upstream).
///
/// The kill points come from a seeded RNG; the seed is printed and can be
/// fixed with `GATEHOUSE_CRASH_SEED=<n>` to replay a run.
final class RecordingCrashTests: XCTestCase {
    private static let cycles = 24
    /// Overall budget for the kill/restart loop (the whole test stays under 60 s).
    private static let budget: TimeInterval = 45
    private static let clientThreads = 4

    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gh-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    func testKill9UnderLoadNeverLosesAnAcknowledgedOrForwardedExchange() throws {
        guard let bin = GracefulDrainTests.binary() else {
            throw XCTSkip("gatehouse binary not found under .build/debug; build first")
        }
        let began = Date()
        let seed = ProcessInfo.processInfo.environment["GATEHOUSE_CRASH_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("RecordingCrashTests seed=\(seed) (GATEHOUSE_CRASH_SEED=\(seed) replays the kill points)")
        var rng = SplitMix64(seed: seed)

        let upstream = try StubUpstream()
        defer { upstream.stop() }
        let db = dir.appendingPathComponent("audit.db").path
        let config = dir.appendingPathComponent("gatehouse.json")
        try """
        {
          "loops": 2,
          "access_log": false,
          "identity": {"mode": "off"}, "listeners": [{ "name": "t", "address": "127.0.0.1", "port": 0 }],
          "recording": { "path": "\(db)", "durability": "strict" },
          "routes": [{ "name": "r", "upstream": "http://127.0.0.1:\(upstream.port)" }]
        }
        """.write(to: config, atomically: true, encoding: .utf8)

        var daemon = try CrashDaemon(binary: bin, config: config)
        defer { daemon.cleanup() }
        var port = try XCTUnwrap(daemon.listenPort(), "daemon did not start: \(daemon.stderrText)")

        var acknowledged: [String: String] = [:]  // request ID -> "cycle N" (for messages)
        var cyclesRun = 0
        var emptyCycles: [Int] = []
        var totalRows = 0

        for cycle in 0..<Self.cycles {
            if Date().timeIntervalSince(began) > Self.budget { break }
            let cycleStart = Date()

            // 1. Load, then SIGKILL at a random point 50–400 ms in.
            let load = Load(port: port, cycle: cycle, threads: Self.clientThreads)
            load.start()
            let killAfterMs = 50 + Int(rng.next() % 351)
            usleep(UInt32(killAfterMs) * 1000)
            daemon.kill9()
            load.stop()
            XCTAssertTrue(daemon.waitForExit(seconds: 5), "cycle \(cycle): daemon did not die after SIGKILL")
            XCTAssertTrue(load.join(seconds: 5), "cycle \(cycle): client threads did not finish")
            let result = load.result
            XCTAssertEqual(result.badStatuses, [], "cycle \(cycle): complete responses that were not 200 (stderr: \(daemon.stderrText))")
            XCTAssertFalse(daemon.stderrText.contains("store_failed"), "cycle \(cycle): \(daemon.stderrText)")
            if result.completed.isEmpty { emptyCycles.append(cycle) }
            for id in result.completed { acknowledged[id] = "cycle \(cycle)" }
            cyclesRun += 1

            // 2. Restart on the same database (a new port is fine).
            daemon.cleanup()
            daemon = try CrashDaemon(binary: bin, config: config)
            guard let p = daemon.listenPort() else {
                XCTFail("cycle \(cycle): daemon did not restart after SIGKILL: \(daemon.stderrText)")
                return
            }
            port = p

            // 3. Integrity, and every acknowledged / forwarded exchange present.
            let check = try DatabaseCheck.run(db: db)
            XCTAssertEqual(check.integrity, "ok", "cycle \(cycle) (kill at \(killAfterMs) ms): integrity_check")
            let missingAck = acknowledged.keys.filter { check.outcomes[$0] == nil }.sorted()
            XCTAssertTrue(missingAck.isEmpty, "cycle \(cycle) (kill at \(killAfterMs) ms): clients got complete responses "
                          + "for \(missingAck.count) request IDs that are not in the database: \(sample(missingAck)) "
                          + "(acknowledged in \(Set(missingAck.map { acknowledged[$0]! }).sorted()))")
            let uncommitted = acknowledged.keys.compactMap { id -> String? in
                guard let o = check.outcomes[id], o != "completed" else { return nil }
                return "\(id)=\(o)"
            }.sorted()
            XCTAssertTrue(uncommitted.isEmpty, "cycle \(cycle) (kill at \(killAfterMs) ms): \(uncommitted.count) "
                          + "acknowledged exchanges without a committed outcome: \(sample(uncommitted))")
            let seen = Set(upstream.requests.compactMap { $0.header("x-request-id") })
            let missingSeen = seen.filter { check.outcomes[$0] == nil }.sorted()
            XCTAssertTrue(missingSeen.isEmpty, "cycle \(cycle) (kill at \(killAfterMs) ms): the upstream saw "
                          + "\(missingSeen.count) request IDs that have no row: \(sample(missingSeen))")
            totalRows = check.outcomes.count

            let cycleTime = Date().timeIntervalSince(cycleStart)
            XCTAssertLessThan(cycleTime, 10, "cycle \(cycle) took too long")
            if !missingAck.isEmpty || !missingSeen.isEmpty || !uncommitted.isEmpty || check.integrity != "ok" {
                return  // one failing cycle is enough evidence; keep the log readable
            }
        }

        XCTAssertGreaterThanOrEqual(cyclesRun, 20, "not enough kill/restart cycles within the time budget")
        XCTAssertLessThanOrEqual(emptyCycles.count, 2, "cycles without any complete response: \(emptyCycles)")
        XCTAssertGreaterThan(acknowledged.count, 100, "the load produced too few complete responses to mean much")

        // The product's own reader agrees with what sqlite3 saw, while the daemon runs.
        let reader = try RecordingReader(path: db)
        var readerRows: [String: String] = [:]
        try reader.forEachExchange(ExchangeQuery()) { readerRows[$0.requestID] = $0.outcome }
        XCTAssertGreaterThanOrEqual(readerRows.count, totalRows)
        let notCompleted = acknowledged.keys.filter { readerRows[$0] != "completed" }.sorted()
        XCTAssertTrue(notCompleted.isEmpty, "RecordingReader: acknowledged but not completed: \(sample(notCompleted))")

        // The survivor still serves and records, then stops cleanly.
        let s = try BlockingSocket.connect(port: port, timeoutSeconds: 5)
        try s.send("GET /crash/after HTTP/1.1\r\nHost: api.test\r\n\r\n")
        let r = try XCTUnwrap(try TestHTTP.read(from: s, isResponse: true))
        s.close()
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(daemon.terminate(seconds: 5), "daemon did not stop on SIGTERM: \(daemon.stderrText)")
        let final = try DatabaseCheck.run(db: db)
        XCTAssertEqual(final.integrity, "ok")
        XCTAssertEqual(r.header("x-request-id").flatMap { final.outcomes[$0] }, "completed")
        print("RecordingCrashTests: \(cyclesRun) cycles, \(acknowledged.count) acknowledged exchanges, "
              + "\(final.outcomes.count) rows, \(String(format: "%.1f", Date().timeIntervalSince(began))) s")
    }
}

/// At most 20 entries of a failure list, with the total.
private func sample(_ items: [String]) -> String {
    items.count <= 20 ? "\(items)" : "\(Array(items.prefix(20))) … (\(items.count) in all)"
}

// MARK: - load

/// A few client threads, each on a keep-alive connection, sending small GET
/// and POST requests with unique paths, and remembering the request ID of
/// every response it received completely.
private final class Load: Sendable {
    struct Result: Sendable {
        var completed: [String] = []
        var badStatuses: [String] = []
    }

    let port: Int
    let cycle: Int
    let threads: Int
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let collected = Mutex(Result())

    init(port: Int, cycle: Int, threads: Int) {
        self.port = port
        self.cycle = cycle
        self.threads = threads
    }

    var result: Result { collected.withLock { $0 } }

    func start() {
        for t in 0..<threads {
            Thread.detachNewThread { [self] in
                run(thread: t)
                done.signal()
            }
        }
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    func join(seconds: Double) -> Bool {
        let deadline = DispatchTime.now() + seconds
        for _ in 0..<threads where done.wait(timeout: deadline) == .timedOut { return false }
        return true
    }

    private func run(thread t: Int) {
        let deadline = Date().addingTimeInterval(8)
        var n = 0
        var sock: BlockingSocket?
        defer { sock?.close() }
        while !stopped.load(ordering: .relaxed), Date() < deadline {
            if sock == nil {
                guard let s = try? BlockingSocket.connect(port: port, timeoutSeconds: 2) else {
                    usleep(2_000)
                    continue
                }
                sock = s
            }
            n += 1
            let path = "/crash/c\(cycle)/t\(t)/n\(n)"
            let request: String
            if n % 2 == 0 {
                let body = "{\"cycle\":\(cycle),\"thread\":\(t),\"n\":\(n)}"
                request = "POST \(path) HTTP/1.1\r\nHost: api.test\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            } else {
                request = "GET \(path) HTTP/1.1\r\nHost: api.test\r\n\r\n"
            }
            do {
                try sock!.send(request)
                guard let m = try TestHTTP.read(from: sock!, isResponse: true), m.complete else {
                    sock!.close()
                    sock = nil
                    continue
                }
                guard let id = m.header("x-request-id") else {
                    collected.withLock { $0.badStatuses.append("\(m.status) without X-Request-Id for \(path)") }
                    continue
                }
                collected.withLock {
                    $0.completed.append(id)
                    if m.status != 200 { $0.badStatuses.append("\(m.status) for \(path): \(m.bodyString)") }
                }
                if m.header("connection")?.lowercased() == "close" {
                    sock!.close()
                    sock = nil
                }
            } catch {
                sock!.close()
                sock = nil
            }
        }
    }
}

// MARK: - daemon

/// The real daemon on a recording config, with its stderr collected.
/// Also used by the SIGHUP certificate-reload test.
final class CrashDaemon: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var errText = ""

    init(binary: URL, config: URL) throws {
        process.executableURL = binary
        process.arguments = ["serve", "--config", config.path]
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            if d.isEmpty { h.readabilityHandler = nil; return }  // EOF: stop polling
            guard let self else { return }
            self.lock.withLock { self.errText += String(decoding: d, as: UTF8.self) }
        }
        try process.run()
    }

    var stderrText: String { lock.withLock { errText } }

    /// The port from the "gatehouse started" line, waiting up to 10 s.
    func listenPort() -> Int? {
        var port: Int?
        _ = waitUntil(10) {
            let text = stderrText
            guard text.contains("gatehouse started"), let r = text.range(of: "\"listen\":\"127.0.0.1:") else {
                return !process.isRunning
            }
            port = Int(text[r.upperBound...].prefix { $0.isNumber })
            return true
        }
        return port
    }

    func kill9() { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    func waitForExit(seconds: Double) -> Bool { waitUntil(seconds) { !process.isRunning } }

    /// SIGTERM, then waits for a clean exit.
    func terminate(seconds: Double) -> Bool {
        kill(process.processIdentifier, SIGTERM)
        return waitForExit(seconds: seconds) && process.terminationReason == .exit && process.terminationStatus == 0
    }

    func cleanup() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); _ = waitForExit(seconds: 5) }
    }
}

// MARK: - database check

/// `PRAGMA integrity_check` and every row's request ID and outcome, read with
/// Python's sqlite3 (the Recording module exposes no integrity check, and its
/// SQLite wrapper is internal). Read-only, so it never recovers a WAL itself:
/// the restarted daemon has done that.
private struct DatabaseCheck {
    var integrity: String
    var outcomes: [String: String]

    static let script = """
    import sqlite3, sys, urllib.parse
    c = sqlite3.connect('file:' + urllib.parse.quote(sys.argv[1]) + '?mode=ro', uri=True, timeout=5)
    rows = c.execute('PRAGMA integrity_check').fetchall()
    print('INTEGRITY ' + ';'.join(str(r[0]) for r in rows))
    for rid, outcome in c.execute('SELECT request_id, outcome FROM exchanges'):
        print('ROW ' + rid + ' ' + outcome)
    print('END')
    """

    static func run(db: String) throws -> DatabaseCheck {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, db]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Bounded: a stuck check is killed after 10 s.
        let pid = p.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0, text.hasSuffix("END\n") else {
            throw CheckError(description: "python3 sqlite3 check failed (\(p.terminationStatus)): "
                             + String(decoding: errData, as: UTF8.self))
        }
        var integrity = ""
        var outcomes: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("INTEGRITY ") {
                integrity = String(line.dropFirst("INTEGRITY ".count))
            } else if line.hasPrefix("ROW ") {
                let parts = line.split(separator: " ")
                if parts.count == 3 { outcomes[String(parts[1])] = String(parts[2]) }
            }
        }
        return DatabaseCheck(integrity: integrity, outcomes: outcomes)
    }

    struct CheckError: Error, CustomStringConvertible { let description: String }
}

/// A small seeded RNG (SplitMix64), so a run's kill points can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
