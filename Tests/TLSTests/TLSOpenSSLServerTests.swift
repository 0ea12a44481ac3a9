import Foundation
import GatehouseCore
import GatehouseTestSupport
import TLS
import XCTest

/// Interoperability with a TLS server Gatehouse did not write:
/// `openssl s_server -www` on 127.0.0.1, reached with a plain blocking
/// socket whose bytes are pumped through `TLSConnection`.
final class TLSOpenSSLServerTests: XCTestCase {
    func testFetchFromOpenSSLServer() throws {
        let certs = TestContexts.certs
        let port = try Self.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certs.pem("server"),
                            "-key", certs.key("server"), "-www", "-naccept", "1", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() }; server.waitUntilExit() }

        let socket = try Self.connect(port: port, within: 5)
        defer { socket.close() }
        let tls = TLSConnection(client: try TestContexts.client(), serverName: "localhost")

        // Handshake.
        var steps = 0
        handshake: while true {
            steps += 1
            XCTAssertLessThan(steps, 50, "handshake does not converge")
            let result = tls.handshake()
            try Self.flush(tls, to: socket)
            switch result {
            case .done: break handshake
            case .failed(let error): return XCTFail("handshake failed: \(error)")
            case .wantRead:
                let bytes = try socket.readSome()
                if bytes.isEmpty { return XCTFail("server closed during handshake") }
                bytes.withUnsafeBytes { tls.receiveCiphertext($0) }
            }
        }
        XCTAssertEqual(tls.peerCertificateSubject, "CN=localhost")

        // Request.
        let request = Array("GET / HTTP/1.0\r\n\r\n".utf8)
        XCTAssertEqual(request.withUnsafeBytes { tls.writePlaintext($0) }, .accepted(request.count))
        try Self.flush(tls, to: socket)

        // Response, until close_notify or EOF.
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        reading: for _ in 0..<1000 {
            switch buffer.withUnsafeMutableBytes({ tls.readPlaintext(into: $0) }) {
            case .bytes(let n): response += buffer[0..<n]
            case .closed: break reading
            case .failed(let error):
                // s_server may close without close_notify; the body is whole either way.
                XCTAssertEqual(error.kind, .unexpectedEOF, error.description)
                break reading
            case .wantRead:
                try Self.flush(tls, to: socket)
                let bytes = try socket.readSome()
                if bytes.isEmpty { tls.receiveEOF() } else { bytes.withUnsafeBytes { tls.receiveCiphertext($0) } }
            }
        }
        let text = String(decoding: response, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.0 200 ok"), text)
        XCTAssertTrue(text.contains("s_server"), text)
        if case .sent = tls.shutdown() { try? Self.flush(tls, to: socket) }
    }

    private static func flush(_ tls: TLSConnection, to socket: BlockingSocket) throws {
        var queue = ByteQueue()
        tls.takeCiphertext(into: &queue)
        if !queue.isEmpty { try socket.send(queue.readableBytes()) }
    }

    /// Retries until the server listens (it needs a moment to start).
    private static func connect(port: Int, within seconds: Double) throws -> BlockingSocket {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do { return try BlockingSocket.connect(port: port, timeoutSeconds: 5) } catch {
                if Date() > deadline { throw error }
                usleep(50_000)
            }
        }
    }

    /// An ephemeral port that was free a moment ago (bind to 0, read it, close).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestIOError("socket", errno) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else { throw TestIOError("bind", errno) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
