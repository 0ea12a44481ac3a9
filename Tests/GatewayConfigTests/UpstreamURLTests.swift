@testable import GatewayConfig
import XCTest

final class UpstreamURLTests: XCTestCase {
    func parse(_ text: String) -> UpstreamURL? { try? UpstreamURL(parsing: text) }

    func message(_ text: String) -> String? {
        do {
            _ = try UpstreamURL(parsing: text)
            return nil
        } catch {
            return error.message
        }
    }

    func testValidForms() {
        XCTAssertEqual(parse("http://127.0.0.1:9000"), UpstreamURL(host: "127.0.0.1", port: 9000))
        XCTAssertEqual(parse("http://example.com"), UpstreamURL(host: "example.com", port: 80))
        XCTAssertEqual(parse("HTTP://Example.COM/"), UpstreamURL(host: "example.com", port: 80, basePath: ""))
        XCTAssertEqual(parse("http://h:8080/v1"), UpstreamURL(host: "h", port: 8080, basePath: "/v1"))
        XCTAssertEqual(parse("http://h/a/b/"), UpstreamURL(host: "h", basePath: "/a/b"))
        XCTAssertEqual(parse("http://[::1]"), UpstreamURL(host: "::1", port: 80))
        XCTAssertEqual(parse("http://[2001:DB8::1]:81/x"), UpstreamURL(host: "2001:db8::1", port: 81, basePath: "/x"))
        XCTAssertEqual(parse("http://my_service.internal:1"), UpstreamURL(host: "my_service.internal", port: 1))
    }

    func testAuthorityAndDescription() {
        XCTAssertEqual(UpstreamURL(host: "h", port: 80).authority, "h")
        XCTAssertEqual(UpstreamURL(host: "h", port: 8080).authority, "h:8080")
        XCTAssertEqual(UpstreamURL(host: "::1", port: 80).authority, "[::1]")
        XCTAssertEqual(UpstreamURL(host: "::1", port: 9).authority, "[::1]:9")
        XCTAssertEqual(UpstreamURL(host: "h", port: 9, basePath: "/v1").description, "http://h:9/v1")
        XCTAssertTrue(UpstreamURL(host: "::1").hostIsIPv6)
        XCTAssertFalse(UpstreamURL(host: "1.2.3.4").hostIsIPv6)
    }

    func testHTTPSDefaultsToPort443() throws {
        let url = try UpstreamURL(parsing: "HTTPS://API.example.com/v2/")
        XCTAssertEqual(url.scheme, "https")
        XCTAssertTrue(url.isHTTPS)
        XCTAssertEqual(url.port, 443)
        XCTAssertEqual(url.authority, "api.example.com")
        XCTAssertEqual(url.description, "https://api.example.com/v2")
        XCTAssertEqual(try UpstreamURL(parsing: "https://10.0.0.1:8443").authority, "10.0.0.1:8443")
        XCTAssertEqual(try UpstreamURL(parsing: "https://h:80").authority, "h:80")
    }

    func testRejections() {
        XCTAssertEqual(message("ws://h"), "upstream scheme \"ws\" is not supported; use http:// or https://")
        XCTAssertEqual(message("h:80"), "upstream \"h:80\" must be an absolute URL such as \"http://127.0.0.1:9000\"")
        XCTAssertEqual(message("http://u:p@h"), "upstream must not contain user information ('user@')")
        XCTAssertEqual(message("http://h/?a=1"), "upstream must not contain a query ('?')")
        XCTAssertEqual(message("http://h/#f"), "upstream must not contain a fragment ('#')")
        XCTAssertEqual(message("http://"), "upstream has no host")
        XCTAssertEqual(message("http://:80"), "upstream has no host")
        XCTAssertEqual(message("http://h:"), "upstream port must be a number between 1 and 65535")
        XCTAssertEqual(message("http://h:x"), "upstream port must be a number between 1 and 65535")
        XCTAssertEqual(message("http://h:65536"), "upstream port must be a number between 1 and 65535, got 65536")
        XCTAssertEqual(message("http://::1/"), "IPv6 upstream hosts must be written in brackets, as in \"http://[::1]:9000\"")
        XCTAssertEqual(message("http://[::g]/"), "upstream host \"[::g]\" is not a valid IPv6 address")
        XCTAssertEqual(message("http://[::1"), "upstream host has '[' without a closing ']'")
        XCTAssertEqual(message("http://[::1]x"), "unexpected characters after ']' in upstream host")
        XCTAssertEqual(message("http://256.1.1.1"), "upstream host \"256.1.1.1\" is not a valid IPv4 address")
        XCTAssertEqual(message("http://a..b"), "upstream host \"a..b\" is not a valid host name: it has an empty label")
        XCTAssertEqual(message("http://-a.com"), "upstream host \"-a.com\" is not a valid host name: it has a label that starts or ends with '-'")
        XCTAssertEqual(message("http://h/a b"), "upstream path \"/a b\" contains a space, control or non-ASCII character, which must be percent-encoded")
        XCTAssertEqual(message("http://h/a/../b"), "upstream path \"/a/../b\" must not contain '.' or '..' segments")
        XCTAssertEqual(message("http://h//x"), "upstream path \"//x\" must not contain '//'")
        XCTAssertEqual(message("http://h/%zz"), "upstream path \"/%zz\" has a '%' that is not followed by two hex digits")
    }
}
