import Foundation
@testable import gatehouse
import GatehouseCore
import Recording
import XCTest

/// A temporary recording database with three sessions, written through the
/// `Recorder` in strict mode:
///
/// 1. alice (identity), route `crm`: `GET /v1/items` → 200, then
///    `POST /v1/items` with credentials → 201, with a masking decision;
/// 2. bob (`Mcp-Session-Id: mcp-1`), route `tools`: `POST /mcp` denied 403;
/// 3. anonymous from 10.0.0.9, route `health`: `GET /health` → 200, an hour later.
final class RecordingFixture {
    /// 2026-01-01T00:00:00Z.
    static let base: Int64 = 1_767_225_600_000
    let dir: String
    var dbPath: String { dir + "/audit.db" }

    /// `bodyCap`: the recorder's body cap (a small one truncates the POST body).
    init(bodyCap: Int = 1 << 20) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gh-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var configuration = RecorderConfiguration(path: dbPath)
        configuration.bodyCap = bodyCap
        let recorder = try Recorder(configuration: configuration, log: LogSink(maxPendingBytes: 1 << 20))
        let base = Self.base
        let alice = RecordedIdentity(subject: "alice", clientID: "agent-1", groups: ["eng"])
        let bob = RecordedIdentity(subject: "bob", clientID: "agent-2", groups: [])
        let records: [AuditRecord] = [
            .complete(
                ExchangeStart(requestID: "req-a1", startedAt: base + 1000, route: "crm", clientAddress: "10.0.0.7:40000",
                              identity: alice, method: "GET", target: "/v1/items?limit=2",
                              requestHeaders: [HeaderField("Host", "crm.internal"), HeaderField("Accept", "application/json")]),
                ExchangeOutcome(requestID: "req-a1", finishedAt: base + 1010, outcome: .completed, responseStatus: 200,
                                responseHeaders: [HeaderField("Content-Type", "application/json")],
                                responseBody: CapturedBody(Array("[1,2]".utf8)),
                                timings: PhaseTimings(policy: 20_000, connect: 100_000, firstByte: 900_000, total: 1_500_000),
                                bytesIn: 80, bytesOut: 120, upstreamAddress: "10.1.0.2:8080")),
            .complete(
                ExchangeStart(requestID: "req-a2", startedAt: base + 2000, route: "crm", clientAddress: "10.0.0.7:40000",
                              identity: alice, method: "POST", target: "/v1/items",
                              requestHeaders: [HeaderField("Host", "crm.internal"),
                                               HeaderField("Authorization", "Bearer sk-live-SECRET"),
                                               HeaderField("Cookie", "sid=SECRET"),
                                               HeaderField("Content-Type", "application/json"),
                                               HeaderField("Content-Length", "15")],
                              requestBody: CapturedBody(Array("{\"name\":\"[EMAIL]\"}".utf8)),
                              decisions: [RecordedDecision(stage: "inspection", ruleID: "pii", action: "mask",
                                                           detectors: ["email"])]),
                ExchangeOutcome(requestID: "req-a2", finishedAt: base + 2020, outcome: .completed, responseStatus: 201,
                                responseBody: CapturedBody(Array("{\"id\":7}".utf8)),
                                timings: PhaseTimings(total: 2_000_000), bytesIn: 200, bytesOut: 90)),
            .complete(
                ExchangeStart(requestID: "req-b1", startedAt: base + 60_000, route: "tools", clientAddress: "10.0.0.8:41000",
                              identity: bob, method: "POST", target: "/mcp",
                              requestHeaders: [HeaderField("Mcp-Session-Id", "mcp-1")],
                              requestBody: CapturedBody(Array("{\"method\":\"tools/call\"}".utf8)),
                              decisions: [RecordedDecision(stage: "deny_list", ruleID: "no-delete", action: "deny")]),
                ExchangeOutcome(requestID: "req-b1", finishedAt: base + 60_001, outcome: .denied, responseStatus: 403,
                                errorCode: "policy_denied", errorReason: "rule no-delete")),
            .complete(
                ExchangeStart(requestID: "req-c1", startedAt: base + 3_600_000, route: "health",
                              clientAddress: "10.0.0.9:42000", identity: nil, method: "GET", target: "/health",
                              requestHeaders: []),
                ExchangeOutcome(requestID: "req-c1", finishedAt: base + 3_600_005, outcome: .completed, responseStatus: 200,
                                responseBody: CapturedBody(Array("ok".utf8)))),
        ]
        for record in records {
            XCTAssertTrue(recorder.submit(record))
            XCTAssertTrue(recorder.flush(), "records not written in time")
        }
        XCTAssertTrue(recorder.close())
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes a config file whose `recording.path` is this database.
    func writeConfig() throws -> String {
        let path = dir + "/gatehouse.json"
        let text = """
            {"identity": {"mode": "off"}, "listeners": [{"address": "127.0.0.1", "port": 0}],
             "recording": {"path": "\(dbPath)"},
             "routes": [{"name": "all", "upstream": "http://127.0.0.1:9"}]}
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Runs a `sessions` subcommand in-process, as the command line would
/// parse it, and returns what it wrote to standard output.
func runSessions<C: SessionsSubcommand>(_ type: C.Type, _ arguments: [String],
                                        now: Int64 = RecordingFixture.base + 7_200_000) throws -> String {
    let command = try type.parse(arguments)
    var output: [UInt8] = []
    try command.perform(to: SessionsOutput { output += $0 }, now: now)
    return String(decoding: output, as: UTF8.self)
}

/// Runs a `sessions` subcommand; returns its output and its failure, if any.
func runSessionsCapturingFailure<C: SessionsSubcommand>(_ type: C.Type, _ arguments: [String])
    throws -> (output: String, failure: SessionsFailure?) {
    let command = try type.parse(arguments)
    var output: [UInt8] = []
    do {
        try command.perform(to: SessionsOutput { output += $0 }, now: RecordingFixture.base + 7_200_000)
        return (String(decoding: output, as: UTF8.self), nil)
    } catch let failure as SessionsFailure {
        return (String(decoding: output, as: UTF8.self), failure)
    }
}

/// Runs a `sessions` subcommand and expects it to fail; returns the message.
func sessionsFailure<C: SessionsSubcommand>(_ type: C.Type, _ arguments: [String],
                                            file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        _ = try runSessions(type, arguments)
        XCTFail("\(C.self) \(arguments) succeeded", file: file, line: line)
        return ""
    } catch let failure as SessionsFailure {
        return failure.message
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return ""
    }
}
