import Foundation
import GatehouseCore
import TLS

/// Drives a `TLSConnection` over a blocking test socket, for the tests
/// against the `openssl` CLI (a peer Gatehouse did not write). Every loop is
/// bounded and every socket has a receive timeout.
public struct TLSSocketDriver {
    public let tls: TLSConnection
    public let socket: BlockingSocket

    public init(tls: TLSConnection, socket: BlockingSocket) {
        self.tls = tls
        self.socket = socket
    }

    public func flush() throws {
        var queue = ByteQueue()
        tls.takeCiphertext(into: &queue)
        if !queue.isEmpty { try socket.send(queue.readableBytes()) }
    }

    /// Reads one chunk from the socket into the connection (EOF included).
    public func feed() throws {
        let bytes = try socket.readSome()
        if bytes.isEmpty { tls.receiveEOF() } else { bytes.withUnsafeBytes { tls.receiveCiphertext($0) } }
    }

    public func handshake() throws -> TLSHandshakeResult {
        for _ in 0..<50 {
            let result = tls.handshake()
            try flush()
            guard result == .wantRead else { return result }
            try feed()
        }
        return .failed(TLSError(.handshakeFailed, detail: "test: handshake did not converge"))
    }

    public func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { tls.writePlaintext(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            guard case .accepted(let n) = result else { throw TestIOError("tls write \(result)", 0) }
            offset += n
            try flush()
        }
    }

    /// Reads plaintext until close_notify, EOF or a failure; returns the
    /// bytes and how the stream ended.
    public func readToEnd() throws -> (bytes: [UInt8], end: TLSReadResult) {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        for _ in 0..<10_000 {
            let result = buffer.withUnsafeMutableBytes { tls.readPlaintext(into: $0) }
            switch result {
            case .bytes(let n): out += buffer[0..<n]
            case .wantRead:
                try flush()
                try feed()
            case .closed, .failed: return (out, result)
            }
        }
        return (out, .failed(TLSError(.protocolError, detail: "test: read did not end")))
    }
}

/// An `openssl` CLI process started by a test, terminated when the test ends.
public final class OpenSSLProcess {
    public let process = Process()
    public let input = Pipe()
    public let output = Pipe()

    public init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    public func send(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }
    public func closeInput() { try? input.fileHandleForWriting.close() }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

public enum TestPorts {
    /// An ephemeral port that was free a moment ago (bind to 0, read, close).
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestIOError("socket", errno) }
        defer { close(fd) }
        var addr = loopback(port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw TestIOError("bind", errno) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Connects to 127.0.0.1:`port`, retrying while the server starts.
    public static func connect(port: Int, within seconds: Double = 5) throws -> BlockingSocket {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do { return try BlockingSocket.connect(port: port, timeoutSeconds: 5) } catch {
                if Date() > deadline { throw error }
                usleep(50_000)
            }
        }
    }

    /// A listening socket on 127.0.0.1 whose `accept` gives up after 5 s.
    public static func listen() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestIOError("socket", errno) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = loopback(port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && Glibc.listen(fd, 4) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else { close(fd); throw TestIOError("bind/listen", errno) }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    public static func accept(_ listener: Int32) throws -> BlockingSocket {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { throw TestIOError("accept", errno) }
        return BlockingSocket(fd: fd, timeoutSeconds: 5)
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }
}
