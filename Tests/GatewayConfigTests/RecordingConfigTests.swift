@testable import GatewayConfig
import XCTest

/// The `"recording"` section and the per-route `"recording"` override.
final class RecordingConfigTests: XCTestCase {
    func testNoRecordingSectionMeansRecordingOff() throws {
        let config = try loadOK("valid-minimal.json")
        XCTAssertNil(config.recording)
        XCTAssertNil(config.routes[0].recordingDurability)
        XCTAssertNil(config.recordingDurability(for: config.routes[0]))
        XCTAssertFalse(config.everyRouteRecordsAsync)
    }

    func testMinimalSectionGetsDefaults() throws {
        let config = try loadOK("valid-recording-minimal.json")
        let recording = try XCTUnwrap(config.recording)
        XCTAssertEqual(recording, RecordingConfig(path: "recording.db"))
        XCTAssertEqual(recording.durability, .strict)
        XCTAssertEqual(recording.bodyCapBytes, 1_048_576)
        XCTAssertEqual(recording.redactHeaders, [])
        XCTAssertNil(recording.sessionHeader)
        XCTAssertEqual(recording.sessionIdleGapMs, 300_000)
        XCTAssertEqual(recording.retention, RecordingConfig.Retention(maxAgeMs: nil, maxBytes: nil))
        XCTAssertNil(recording.queueCapacity)
        XCTAssertNil(recording.pageSizeBytes)
        XCTAssertNil(recording.groupCommitDelayUs)
        XCTAssertNil(recording.groupCommitMinInFlight)
        XCTAssertEqual(config.recordingDurability(for: config.routes[0]), .strict)
        XCTAssertEqual(config.warnings, [])
    }

    func testFullSectionAndRouteOverrides() throws {
        let config = try loadOK("valid-recording.json")
        var expected = RecordingConfig(
            path: "/var/lib/gatehouse/recording.db", durability: .async, bodyCapBytes: 65536,
            redactHeaders: ["X-Api-Key", "x-session-token"], sessionHeader: "X-Agent-Session",
            sessionIdleGapMs: 600_000,
            retention: RecordingConfig.Retention(maxAgeMs: 604_800_000, maxBytes: 1_073_741_824),
            queueCapacity: 4096, pageSizeBytes: 16384)
        expected.groupCommitDelayUs = 500
        expected.groupCommitMinInFlight = 16
        XCTAssertEqual(config.recording, expected)
        XCTAssertEqual(config.routes.map(\.recordingDurability), [.strict, nil, nil])
        XCTAssertEqual(config.routes.map { config.recordingDurability(for: $0) }, [.strict, .async, .async])
        XCTAssertFalse(config.everyRouteRecordsAsync, "route crm is strict")
        XCTAssertEqual(config.warnings, [])
    }

    func testEveryRouteAsync() {
        guard case .success(let config) = parseText("""
            {"identity": {"mode": "off"}, "listeners": [{"address": "127.0.0.1", "port": 1}],
             "recording": {"path": "r.db", "durability": "async"},
             "routes": [{"name": "a", "upstream": "http://a"},
                        {"name": "b", "path_prefix": "/b", "upstream": "http://b", "recording": {"durability": "async"}}]}
            """) else { return XCTFail("did not load") }
        XCTAssertTrue(config.everyRouteRecordsAsync)
    }

    func testInvalidValues() throws {
        XCTAssertEqual(try errorLines("bad-recording-values.json"), [
            "bad-recording-values.json:4:13: \"path\" in recording must not be empty",
            "bad-recording-values.json:5:19: \"durability\" in recording must be \"strict\" or \"async\", got \"eventually\"",
            "bad-recording-values.json:6:23: \"body_cap_bytes\" in recording must be between 0 and 1073741824, got -1",
            "bad-recording-values.json:7:24: each entry of \"redact_headers\" in recording must be a valid header name (an HTTP token), got \"X Api Key\"",
            "bad-recording-values.json:7:37: each entry of \"redact_headers\" in recording must be a string, got number",
            "bad-recording-values.json:7:40: warning: header \"Authorization\" is always redacted; listing it in \"redact_headers\" has no effect",
            "bad-recording-values.json:7:66: warning: header \"x-key\" is listed more than once in \"redact_headers\"",
            "bad-recording-values.json:8:23: \"session_header\" in recording must not be a framing or hop-by-hop header, got \"Content-Length\"",
            "bad-recording-values.json:9:28: \"session_idle_gap_ms\" in recording must be between 1000 and 604800000, got 10",
            "bad-recording-values.json:10:34: \"max_age_ms\" in recording retention must be between 1000 and 9007199254740992, got 0",
            "bad-recording-values.json:10:50: \"max_bytes\" in recording retention must be between 1048576 and 9007199254740992, got 1024",
            "bad-recording-values.json:11:23: \"queue_capacity\" in recording must be between 16 and 1048576, got 1",
            "bad-recording-values.json:11:45: \"page_size_bytes\" in recording must be a power of two from 512 to 65536, got 3000",
            "bad-recording-values.json:12:30: \"group_commit_delay_us\" in recording must be between 0 and 100000, got 100001",
            "bad-recording-values.json:12:68: \"group_commit_min_in_flight\" in recording must be between 1 and 1048576, got 0",
            "bad-recording-values.json:15:86: \"durability\" in route recording must be \"strict\" or \"async\", got \"STRICT\"",
        ])
    }

    func testUnknownKeysWrongTypesAndMissingPath() throws {
        XCTAssertEqual(try errorLines("bad-recording-keys.json"), [
            "bad-recording-keys.json:3:16: missing required key \"path\" in recording",
            "bad-recording-keys.json:4:5: unknown key \"durabilty\" in recording; expected one of: body_cap_bytes, durability, group_commit_delay_us, group_commit_min_in_flight, page_size_bytes, path, queue_capacity, redact_headers, retention, session_header, session_idle_gap_ms",
            "bad-recording-keys.json:5:20: unknown key \"max_age\" in recording retention; expected one of: max_age_ms, max_bytes",
            "bad-recording-keys.json:6:23: \"session_header\" in recording must be a string, got number",
            "bad-recording-keys.json:9:72: unknown key \"path\" in route recording; expected one of: durability",
            "bad-recording-keys.json:10:91: \"recording\" in route must be an object, got string",
        ])
    }

    func testRouteOverrideWithoutRecordingIsAWarning() throws {
        let config = try loadOK("warning-recording-off.json")
        XCTAssertNil(config.recording)
        XCTAssertEqual(config.routes[0].recordingDurability, .async)
        XCTAssertNil(config.recordingDurability(for: config.routes[0]))
        XCTAssertEqual(config.warnings.map(\.description), [
            "warning-recording-off.json:4:70: warning: route \"r\" sets \"recording\", but recording is off (no top-level \"recording\" object)",
        ])
    }
}
