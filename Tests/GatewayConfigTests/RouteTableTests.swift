import GatewayConfig
import XCTest

final class RouteTableTests: XCTestCase {
    func route(_ name: String, _ hosts: [String], _ prefix: String = "/") -> RouteConfig {
        RouteConfig(name: name, hosts: hosts, pathPrefix: prefix, upstream: UpstreamURL(host: "u"))
    }

    /// Returns the selected route's name.
    func select(_ routes: [RouteConfig], _ host: String, _ path: String) -> String? {
        RouteTable(routes: routes).route(host: host, path: path).map { routes[$0].name }
    }

    func testHostSpecificity() {
        let routes = [
            route("any", ["*"]),
            route("suffix", ["*.example.com"]),
            route("deep", ["*.api.example.com"]),
            route("exact", ["www.example.com"]),
        ]
        XCTAssertEqual(select(routes, "www.example.com", "/"), "exact")
        XCTAssertEqual(select(routes, "shop.example.com", "/"), "suffix")
        XCTAssertEqual(select(routes, "a.b.example.com", "/"), "suffix", "suffix matches any depth")
        XCTAssertEqual(select(routes, "v1.api.example.com", "/"), "deep", "longest suffix wins")
        XCTAssertEqual(select(routes, "example.com", "/"), "any", "*.example.com does not match example.com")
        XCTAssertEqual(select(routes, "xexample.com", "/"), "any", "suffix match is on a label boundary")
        XCTAssertEqual(select(routes, "other.org", "/"), "any")
        XCTAssertEqual(select(routes, "", "/"), "any", "a missing host only matches *")
    }

    func testHostNormalization() {
        let routes = [route("exact", ["www.example.com"]), route("v6", ["[::1]"]), route("sfx", ["*.test.io"]),
                      route("any", ["*"])]
        XCTAssertEqual(select(routes, "WWW.Example.COM", "/"), "exact")
        XCTAssertEqual(select(routes, "www.example.com:8080", "/"), "exact")
        XCTAssertEqual(select(routes, "www.example.com.", "/"), "exact")
        XCTAssertEqual(select(routes, "www.example.com.:80", "/"), "exact")
        XCTAssertEqual(select(routes, "[::1]:8080", "/"), "v6")
        XCTAssertEqual(select(routes, "[::1]", "/"), "v6")
        XCTAssertEqual(select(routes, "A.TEST.IO:1", "/"), "sfx")
        XCTAssertEqual(select(routes, "www.example.co", "/"), "any")
        XCTAssertEqual(select(routes, "www.example.comm", "/"), "any")
    }

    func testLongestPathPrefixOnSegmentBoundary() {
        let routes = [route("root", ["*"]), route("api", ["*"], "/api"), route("v2", ["*"], "/api/v2"),
                      route("slash", ["*"], "/static/")]
        XCTAssertEqual(select(routes, "h", "/api"), "api")
        XCTAssertEqual(select(routes, "h", "/api/"), "api")
        XCTAssertEqual(select(routes, "h", "/api/x"), "api")
        XCTAssertEqual(select(routes, "h", "/api?x=1"), "api")
        XCTAssertEqual(select(routes, "h", "/apix"), "root")
        XCTAssertEqual(select(routes, "h", "/api/v2"), "v2")
        XCTAssertEqual(select(routes, "h", "/api/v2/users"), "v2")
        XCTAssertEqual(select(routes, "h", "/api/v20"), "api")
        XCTAssertEqual(select(routes, "h", "/API"), "root", "paths are case-sensitive")
        XCTAssertEqual(select(routes, "h", "/static/a.css"), "slash")
        XCTAssertEqual(select(routes, "h", "/static"), "root", "a prefix ending in / needs the slash")
        XCTAssertEqual(select(routes, "h", "/"), "root")
        XCTAssertEqual(select(routes, "h", "*"), "root", "/ matches every path")
        XCTAssertEqual(select(routes, "h", ""), "root")
    }

    func testFallsBackToLessSpecificHostWhenNoPrefixMatches() {
        let routes = [route("exact-api", ["api.example.com"], "/v1"), route("sfx", ["*.example.com"], "/v2"),
                      route("any", ["*"])]
        XCTAssertEqual(select(routes, "api.example.com", "/v1/x"), "exact-api")
        XCTAssertEqual(select(routes, "api.example.com", "/v2/x"), "sfx")
        XCTAssertEqual(select(routes, "api.example.com", "/other"), "any")
        // The most specific host tier wins even with a shorter prefix.
        let tiered = [route("any-long", ["*"], "/a/b/c"), route("exact-short", ["h.com"], "/")]
        XCTAssertEqual(select(tiered, "h.com", "/a/b/c"), "exact-short")
        XCTAssertEqual(select(tiered, "x.com", "/a/b/c"), "any-long")
    }

    func testNoMatch() {
        let routes = [route("only", ["a.com"], "/x")]
        XCTAssertNil(select(routes, "b.com", "/x"))
        XCTAssertNil(select(routes, "a.com", "/y"))
        XCTAssertNil(RouteTable(routes: []).route(host: "a", path: "/"))
    }

    func testTiesGoToTheEarlierRoute() {
        let routes = [route("first", ["*"], "/a"), route("second", ["*"], "/a")]
        XCTAssertEqual(select(routes, "h", "/a"), "first")
    }

    func testManyExactHostsUseBinarySearchCorrectly() {
        let hosts = (0..<200).map { "host\($0).example.com" }
        let routes = hosts.enumerated().map { route("r\($0.offset)", [$0.element]) } + [route("any", ["*"])]
        let table = RouteTable(routes: routes)
        for (index, host) in hosts.enumerated() {
            XCTAssertEqual(table.route(host: host.uppercased(), path: "/"), index)
        }
        XCTAssertEqual(table.route(host: "host200.example.com", path: "/"), 200)
        XCTAssertEqual(table.route(host: "a", path: "/"), 200)
        XCTAssertEqual(table.route(host: "zzz", path: "/"), 200)
    }

    func testByteLevelAPI() {
        let table = RouteTable(routes: [route("a", ["a.com"], "/x"), route("any", ["*"])])
        let host: [UInt8] = Array("A.com:80".utf8)
        let path: [UInt8] = Array("/x/y".utf8)
        let result = host.withUnsafeBufferPointer { h in path.withUnsafeBufferPointer { p in table.route(host: h, path: p) } }
        XCTAssertEqual(result, 0)
    }

    func testTableFromLoadedConfig() throws {
        let config = try loadOK("valid-full.json")
        let table = RouteTable(routes: config.routes)
        XCTAssertEqual(table.route(host: "api.example.com", path: "/api/users"), 0)
        XCTAssertEqual(table.route(host: "eu.api.example.com", path: "/api"), 0)
        XCTAssertEqual(table.route(host: "api.example.com", path: "/"), 2)
        XCTAssertEqual(table.route(host: "static.example.com", path: "/logo.png"), 1)
        XCTAssertEqual(table.route(host: "elsewhere", path: "/api"), 2)
    }
}
