#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import GatehouseTestSupport

/// SIGTERM against the real daemon binary: in-flight requests finish, new
/// connections are refused, the process exits 0 within the drain deadline.
final class GracefulDrainTests: XCTestCase {
    /// `.build/debug/gatehouse`, found by walking up from this file to the package root.
    static func binary() -> URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                let bin = dir.appendingPathComponent(".build/debug/gatehouse")
                return FileManager.default.isExecutableFile(atPath: bin.path) ? bin : nil
            }
            dir = dir.deletingLastPathComponent()
        }
        // Fallback: next to the test bundle.
        let near = URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent().appendingPathComponent("gatehouse")
        return FileManager.default.isExecutableFile(atPath: near.path) ? near : nil
    }

    /// A running daemon with its stderr collected.
    final class Daemon: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var errText = ""
        let configURL: URL

        init(binary: URL, upstreamPort: Int, drainMs: Int) throws {
            configURL = FileManager.default.temporaryDirectory
                .appendingPathComponent("gatehouse-drain-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json")
            let json = """
            {
              "loops": 1,
              "access_log": false,
              "identity": {"mode": "off"}, "listeners": [{ "name": "t", "address": "127.0.0.1", "port": 0 }],
              "timeouts": { "drain_ms": \(drainMs) },
              "routes": [{ "name": "r", "upstream": "http://127.0.0.1:\(upstreamPort)" }]
            }
            """
            try json.write(to: configURL, atomically: true, encoding: .utf8)
            process.executableURL = binary
            process.arguments = ["serve", "--config", configURL.path]
            let errPipe = Pipe()
            process.standardError = errPipe
            process.standardOutput = FileHandle.nullDevice
            errPipe.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                guard let self, !d.isEmpty else { return }
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
                guard let r = text.range(of: "\"listen\":\"127.0.0.1:") else { return !process.isRunning }
                let digits = text[r.upperBound...].prefix { $0.isNumber }
                port = Int(digits)
                return true
            }
            return port
        }

        func terminate() { kill(process.processIdentifier, SIGTERM) }

        func waitForExit(seconds: Double) -> Bool { waitUntil(seconds) { !process.isRunning } }

        func cleanup() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL); _ = waitForExit(seconds: 5) }
            try? FileManager.default.removeItem(at: configURL)
        }
    }

    func testSIGTERMDrainsInFlightRequestAndRefusesNewConnections() throws {
        guard let bin = Self.binary() else { throw XCTSkip("gatehouse binary not found under .build/debug; build first") }
        let stub = try StubUpstream(handler: { req, conn in
            if req.target == "/slow" { usleep(1_500_000) }
            try StubUpstream.echo(req, conn)
        })
        defer { stub.stop() }
        let daemon = try Daemon(binary: bin, upstreamPort: stub.port, drainMs: 5000)
        defer { daemon.cleanup() }
        let port = try XCTUnwrap(daemon.listenPort(), "daemon did not start: \(daemon.stderrText)")

        // An idle kept-alive client and one with a slow request in flight.
        let idle = try BlockingSocket.connect(port: port, timeoutSeconds: 10)
        defer { idle.close() }
        try idle.send(get("/warm"))
        XCTAssertEqual(try TestHTTP.read(from: idle, isResponse: true)?.status, 200)
        let busy = try BlockingSocket.connect(port: port, timeoutSeconds: 10)
        defer { busy.close() }
        try busy.send(get("/slow"))
        XCTAssertTrue(waitUntil(5) { stub.requests.count == 2 }, "slow request reached the upstream")

        let signalled = Date()
        daemon.terminate()

        // New connections are refused once the listener is closed (well before the slow response).
        var refused = false
        _ = waitUntil(1.0) {
            do {
                let s = try BlockingSocket.connect(port: port, timeoutSeconds: 1)
                s.close()
                return false
            } catch let e as TestIOError {
                refused = e.errno == ECONNREFUSED
                return refused
            } catch { return false }
        }
        XCTAssertTrue(refused, "new connections refused while draining")
        XCTAssertTrue(daemon.process.isRunning, "still running while a request is in flight")

        // The idle connection is closed at once.
        XCTAssertTrue(peerClosed(idle))

        // The in-flight request completes, marked as the connection's last.
        let r = try XCTUnwrap(TestHTTP.read(from: busy, isResponse: true))
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(r.complete)
        XCTAssertTrue(r.bodyString.contains("/slow"))
        XCTAssertEqual(r.header("connection")?.lowercased(), "close")
        busy.close()

        XCTAssertTrue(daemon.waitForExit(seconds: 6), "exited within the drain deadline")
        XCTAssertFalse(daemon.process.isRunning)
        if !daemon.process.isRunning {
            XCTAssertEqual(daemon.process.terminationReason, .exit)
            XCTAssertEqual(daemon.process.terminationStatus, 0, daemon.stderrText)
        }
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 5.5)
        XCTAssertTrue(daemon.stderrText.contains("\"msg\":\"draining\""), daemon.stderrText)
    }

    func testDrainDeadlineCutsOffRequestsThatTakeTooLong() throws {
        guard let bin = Self.binary() else { throw XCTSkip("gatehouse binary not found under .build/debug; build first") }
        let release = DispatchSemaphore(value: 0)
        let stub = try StubUpstream(handler: { req, conn in
            _ = release.wait(timeout: .now() + 5)
            try StubUpstream.echo(req, conn)
        })
        defer { release.signal(); stub.stop() }
        let daemon = try Daemon(binary: bin, upstreamPort: stub.port, drainMs: 500)
        defer { daemon.cleanup() }
        let port = try XCTUnwrap(daemon.listenPort(), "daemon did not start: \(daemon.stderrText)")
        let busy = try BlockingSocket.connect(port: port, timeoutSeconds: 10)
        defer { busy.close() }
        try busy.send(get("/forever"))
        XCTAssertTrue(waitUntil(5) { stub.requests.count == 1 })
        let signalled = Date()
        daemon.terminate()
        XCTAssertTrue(daemon.waitForExit(seconds: 4))
        let elapsed = Date().timeIntervalSince(signalled)
        XCTAssertGreaterThanOrEqual(elapsed, 0.45, "waited for the drain deadline")
        XCTAssertLessThan(elapsed, 3)
        XCTAssertEqual(daemon.process.terminationStatus, 0)
        // The client got no response: the connection was aborted.
        let got = (try? busy.readToEnd()) ?? []
        XCTAssertEqual(got, [])
    }
}
