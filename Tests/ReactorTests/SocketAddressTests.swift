#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import GatehouseCore
import Reactor
import Synchronization
import XCTest

final class SocketAddressTests: XCTestCase {
    func testIPv4() throws {
        let a = try XCTUnwrap(SocketAddress(ip: "127.0.0.1", port: 8080))
        XCTAssertEqual(a.family, AF_INET)
        XCTAssertEqual(a.port, 8080)
        XCTAssertEqual(a.ipString, "127.0.0.1")
        XCTAssertEqual(a.description, "127.0.0.1:8080")
        XCTAssertEqual(Int(a.length), MemoryLayout<sockaddr_in>.size)
        XCTAssertEqual(SocketAddress(ip: "0.0.0.0", port: 0)?.description, "0.0.0.0:0")
        XCTAssertEqual(SocketAddress(ip: "255.255.255.255", port: 65535)?.description, "255.255.255.255:65535")
    }

    func testIPv6() throws {
        let a = try XCTUnwrap(SocketAddress(ip: "::1", port: 80))
        XCTAssertEqual(a.family, AF_INET6)
        XCTAssertEqual(a.port, 80)
        XCTAssertEqual(a.ipString, "::1")
        XCTAssertEqual(a.description, "[::1]:80")
        XCTAssertEqual(Int(a.length), MemoryLayout<sockaddr_in6>.size)
        XCTAssertEqual(SocketAddress(ip: "::", port: 443)?.description, "[::]:443")
        // Printed in canonical (compressed, lower-case) form.
        XCTAssertEqual(SocketAddress(ip: "2001:0DB8:0000:0000:0000:0000:0000:0001", port: 1)?.description, "[2001:db8::1]:1")
        XCTAssertEqual(SocketAddress(ip: "fe80::1:2", port: 65535)?.description, "[fe80::1:2]:65535")
        XCTAssertEqual(SocketAddress(ip: "::ffff:192.0.2.1", port: 8443)?.description, "[::ffff:192.0.2.1]:8443")
    }

    func testInvalidLiteralsAreNil() {
        let bad = ["", "localhost", "example.com", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.-4",
                   " 1.2.3.4", "1.2.3.4 ", "1.2.3.4:80", "[::1]", "[::1]:80", "::g", "1::2::3",
                   ":::", "12345::", "fe80::1%lo", "1.2.3.4/24", "０.０.０.０"]
        for s in bad {
            XCTAssertNil(SocketAddress(ip: s, port: 80), "\"\(s)\" must not parse")
        }
    }

    func testOutOfRangePortIsNil() {
        // A failable initializer must not trap on a bad port.
        XCTAssertNil(SocketAddress(ip: "127.0.0.1", port: 65536))
        XCTAssertNil(SocketAddress(ip: "127.0.0.1", port: -1))
        XCTAssertNil(SocketAddress(ip: "::1", port: 70_000))
        XCTAssertNotNil(SocketAddress(ip: "::1", port: 65535))
    }

    func testEquality() {
        XCTAssertEqual(SocketAddress(ip: "10.0.0.1", port: 1), SocketAddress(ip: "10.0.0.1", port: 1))
        XCTAssertNotEqual(SocketAddress(ip: "10.0.0.1", port: 1), SocketAddress(ip: "10.0.0.1", port: 2))
        XCTAssertNotEqual(SocketAddress(ip: "10.0.0.1", port: 1), SocketAddress(ip: "10.0.0.2", port: 1))
        XCTAssertEqual(SocketAddress(ip: "::1", port: 1), SocketAddress(ip: "0:0:0:0:0:0:0:1", port: 1))
        XCTAssertNotEqual(SocketAddress(ip: "::1", port: 1), SocketAddress(ip: "127.0.0.1", port: 1))
    }

    func testStorageRoundTripAndWithSockAddr() throws {
        let a = try XCTUnwrap(SocketAddress(ip: "192.0.2.7", port: 5000))
        let b = SocketAddress(storage: a.storage, length: a.length)
        XCTAssertEqual(b, a)
        XCTAssertEqual(b.port, 5000)
        a.withSockAddr { p, len in
            XCTAssertEqual(Int32(p.pointee.sa_family), AF_INET)
            XCTAssertEqual(len, a.length)
        }
    }

    // MARK: Resolver

    /// Runs `body` on another thread, giving up after `seconds` (getaddrinfo
    /// cannot be cancelled; a slow sandbox resolver should skip, not hang).
    private func bounded<T: Sendable>(seconds: Double = 10, _ body: @escaping @Sendable () -> T) throws -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        OSThread.spawn(name: "gh-test-resolve") {
            let r = body()
            result.withLock { $0 = r }
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else {
            throw XCTSkip("name resolution took over \(seconds) s in this environment")
        }
        return result.withLock { $0! }
    }

    func testResolveLiteralNeedsNoLookup() throws {
        XCTAssertEqual(try Resolver.resolve(host: "127.0.0.1", port: 9), [SocketAddress(ip: "127.0.0.1", port: 9)!])
        XCTAssertEqual(try Resolver.resolve(host: "::1", port: 9).map(\.description), ["[::1]:9"])
    }

    func testResolveRejectsOutOfRangePort() {
        for (host, port) in [("127.0.0.1", 65536), ("::1", -1), ("localhost", 70_000)] {
            XCTAssertThrowsError(try Resolver.resolve(host: host, port: port), "\(host) \(port)") { error in
                XCTAssertEqual((error as? SystemError)?.syscall, "getaddrinfo")
            }
        }
    }

    func testResolveLocalhostIsLoopback() throws {
        let result = try bounded { Result { () throws(SystemError) in try Resolver.resolve(host: "localhost", port: 8080) } }
        let addrs = try result.get()
        XCTAssertFalse(addrs.isEmpty)
        for a in addrs {
            XCTAssertEqual(a.port, 8080)
            XCTAssertTrue(a.ipString.hasPrefix("127.") || a.ipString == "::1", "not loopback: \(a)")
        }
        XCTAssertEqual(Set(addrs.map(\.description)).count, addrs.count, "duplicates must be removed")
    }

    func testResolveBogusNameThrowsGetaddrinfoError() throws {
        let result = try bounded { Result { () throws(SystemError) in try Resolver.resolve(host: "nonexistent.invalid", port: 80) } }
        switch result {
        case .success(let addrs):
            XCTFail("nonexistent.invalid resolved to \(addrs)")
        case .failure(let error):
            XCTAssertEqual(error.syscall, "getaddrinfo")
            XCTAssertTrue(error.description.contains("getaddrinfo"), error.description)
            XCTAssertTrue(error.note.contains("nonexistent.invalid"), error.note)
        }
    }
}
