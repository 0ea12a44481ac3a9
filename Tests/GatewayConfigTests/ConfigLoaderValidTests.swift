@testable import GatewayConfig
import XCTest

final class ConfigLoaderValidTests: XCTestCase {
    func testMinimalConfigGetsAllDefaults() throws {
        let config = try loadOK("valid-minimal.json")
        XCTAssertEqual(config.sourcePath, "valid-minimal.json")
        XCTAssertEqual(config.loops, 2, "default loop count as injected by the test")
        XCTAssertEqual(config.listeners, [ListenerConfig(name: "listener-1", address: "127.0.0.1", port: 8080)])
        XCTAssertEqual(config.limits, LimitsConfig())
        XCTAssertEqual(config.limits.maxRequestLineBytes, 8192)
        XCTAssertEqual(config.limits.maxHeaderBytes, 32768)
        XCTAssertEqual(config.limits.maxHeaderCount, 100)
        XCTAssertEqual(config.limits.maxBodyBytes, 104_857_600)
        XCTAssertEqual(config.limits.maxConnections, 10_000)
        XCTAssertEqual(config.timeouts, TimeoutsConfig(headerReadMs: 10_000, bodyReadMs: 30_000, idleKeepAliveMs: 60_000,
                                                       upstreamConnectMs: 5_000, upstreamResponseMs: 30_000, drainMs: 10_000))
        XCTAssertEqual(config.requestID, RequestIDConfig(header: "X-Request-Id", trustIncoming: false))
        XCTAssertEqual(config.forwarded, ForwardedConfig(trustIncoming: false, via: "gatehouse"))
        XCTAssertTrue(config.accessLog)
        XCTAssertEqual(config.warnings, [])
        XCTAssertEqual(config.routes, [RouteConfig(name: "all", hosts: ["*"], pathPrefix: "/",
                                                   upstream: UpstreamURL(host: "127.0.0.1", port: 9000))])
    }

    func testFullConfig() throws {
        let config = try loadOK("valid-full.json")
        XCTAssertEqual(config.loops, 4)
        XCTAssertFalse(config.accessLog)
        XCTAssertEqual(config.limits, LimitsConfig(maxRequestLineBytes: 4096, maxHeaderBytes: 16384, maxHeaderCount: 50,
                                                   maxBodyBytes: 1_048_576, maxConnections: 500))
        XCTAssertEqual(config.timeouts, TimeoutsConfig(headerReadMs: 5000, bodyReadMs: 20000, idleKeepAliveMs: 30000,
                                                       upstreamConnectMs: 2000, upstreamResponseMs: 15000, drainMs: 3000))
        XCTAssertEqual(config.requestID, RequestIDConfig(header: "X-Trace-Id", trustIncoming: true))
        XCTAssertEqual(config.forwarded, ForwardedConfig(trustIncoming: true, via: "edge-1"))
        XCTAssertEqual(config.listeners, [
            ListenerConfig(name: "v4", address: "0.0.0.0", port: 8080, description: "IPv4, all interfaces"),
            ListenerConfig(name: "listener-2", address: "::1", port: 0),
            ListenerConfig(name: "listener-3", address: "::1", port: 0),
        ])
        XCTAssertEqual(config.routes.map(\.name), ["api", "partial", "default"])

        let api = config.routes[0]
        XCTAssertEqual(api.description, "The API, version 1")
        XCTAssertEqual(api.hosts, ["api.example.com", "*.api.example.com"], "hosts are lowercased")
        XCTAssertEqual(api.pathPrefix, "/api")
        XCTAssertEqual(api.upstream, UpstreamURL(host: "::1", port: 9001, basePath: "/v1"))
        XCTAssertEqual(api.upstream.authority, "[::1]:9001")
        XCTAssertTrue(api.stripPrefix)
        XCTAssertEqual(api.limits, LimitsConfig(maxRequestLineBytes: 1024, maxHeaderBytes: 2048, maxHeaderCount: 20,
                                                maxBodyBytes: 2048, maxConnections: 500))
        XCTAssertEqual(api.timeouts, TimeoutsConfig(headerReadMs: 1000, bodyReadMs: 1001, idleKeepAliveMs: 1002,
                                                    upstreamConnectMs: 1003, upstreamResponseMs: 60000, drainMs: 3000))

        let fallback = config.routes[2]
        XCTAssertEqual(fallback.upstream, UpstreamURL(host: "backend.internal"))
        XCTAssertEqual(fallback.upstream.authority, "backend.internal")
        XCTAssertFalse(fallback.stripPrefix)
        XCTAssertNil(fallback.description)
    }

    func testRouteSettingsInheritGlobalValuesNotDefaults() throws {
        let config = try loadOK("valid-full.json")
        let partial = config.routes[1]
        XCTAssertEqual(partial.limits, LimitsConfig(maxRequestLineBytes: 4096, maxHeaderBytes: 16384, maxHeaderCount: 50,
                                                    maxBodyBytes: 10, maxConnections: 500))
        XCTAssertEqual(partial.timeouts, TimeoutsConfig(headerReadMs: 5000, bodyReadMs: 20000, idleKeepAliveMs: 30000,
                                                        upstreamConnectMs: 250, upstreamResponseMs: 15000, drainMs: 3000))
        XCTAssertEqual(config.routes[2].limits, config.limits)
        XCTAssertEqual(config.routes[2].timeouts, config.timeouts)
    }

    func testInheritanceDoesNotDependOnKeyOrder() {
        let text = """
        {"routes": [{"name": "r", "upstream": "http://h", "limits": {"max_header_count": 7}}],
         "identity": {"mode": "off"}, "listeners": [{"address": "::", "port": 1}],
         "limits": {"max_body_bytes": 99}}
        """
        guard case .success(let config) = parseText(text) else { return XCTFail("did not load") }
        XCTAssertEqual(config.routes[0].limits.maxBodyBytes, 99)
        XCTAssertEqual(config.routes[0].limits.maxHeaderCount, 7)
    }

    func testWarningsDoNotFailLoading() throws {
        let config = try loadOK("warning-duplicate-host.json")
        XCTAssertEqual(config.routes[0].hosts, ["a.com"])
        XCTAssertEqual(config.warnings.map(\.description),
                       ["warning-duplicate-host.json:3:48: warning: host \"a.com\" is listed more than once in route \"r\""])
        XCTAssertEqual(config.warnings.first?.severity, .warning)
    }

    func testBoundaryValuesAreAccepted() {
        let text = """
        {"loops": 256,
         "limits": {"max_request_line_bytes": 256, "max_header_bytes": 1048576, "max_header_count": 10000,
                    "max_body_bytes": 9007199254740992, "max_connections": 1},
         "timeouts": {"header_read_ms": 1, "drain_ms": 86400000},
         "identity": {"mode": "off"}, "listeners": [{"address": "0.0.0.0", "port": 65535}, {"address": "::ffff:10.0.0.1", "port": 0}],
         "routes": [{"name": "r", "upstream": "http://h:65535"}]}
        """
        guard case .success(let config) = parseText(text) else { return XCTFail("did not load: \(parseText(text))") }
        XCTAssertEqual(config.loops, 256)
        XCTAssertEqual(config.limits.maxBodyBytes, 1 << 53)
        XCTAssertEqual(config.timeouts.drainMs, 86_400_000)
    }

    func testDefaultLoopCountComesFromOnlineCores() throws {
        let config = try XCTUnwrap(try? ConfigLoader.parse(bytes: Fixtures.bytes("valid-minimal.json"), path: "m").get())
        XCTAssertEqual(config.loops, min(256, SystemInfo.onlineCores))
        XCTAssertGreaterThanOrEqual(SystemInfo.onlineCores, 1)
    }

    func testExampleConfigLoads() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Config/gatehouse.example.json").path
        switch ConfigLoader.load(path: path) {
        case .failure(let errors):
            XCTFail("example config does not load:\n\(errors)")
        case .success(let config):
            XCTAssertEqual(config.listeners.map { "\($0.address):\($0.port)" }, ["127.0.0.1:8080"])
            XCTAssertEqual(config.routes.map(\.name), ["example"])
            XCTAssertEqual(config.routes.first?.hosts, ["*"])
            XCTAssertEqual(config.routes.first?.upstream.description, "http://127.0.0.1:9000")
            XCTAssertEqual(config.warnings, [])
            XCTAssertEqual(config.sourcePath, path)
        }
    }

    func testRecordingExampleConfigLoads() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Config/gatehouse.recording.example.json").path
        switch ConfigLoader.load(path: path) {
        case .failure(let errors):
            XCTFail("recording example config does not load:\n\(errors)")
        case .success(let config):
            XCTAssertEqual(config.recording?.durability, .strict)
            XCTAssertEqual(config.routes.map { config.recordingDurability(for: $0) }, [.strict, .async])
            XCTAssertEqual(config.warnings, [])
        }
    }
}
