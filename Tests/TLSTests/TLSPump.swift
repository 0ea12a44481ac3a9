import GatehouseTestSupport
import GatehouseCore
import TLS
import XCTest

/// Drives two in-memory TLS endpoints against each other: every step moves
/// all pending ciphertext both ways. Loops are bounded so a bug can only
/// fail a test, never hang it.
enum TLSPump {
    /// Moves pending ciphertext from `a` to `b` and back; returns bytes moved.
    @discardableResult
    static func pump(_ a: TLSConnection, _ b: TLSConnection) -> Int {
        transfer(from: a, to: b) + transfer(from: b, to: a)
    }

    static func transfer(from source: TLSConnection, to destination: TLSConnection, byteByByte: Bool = false) -> Int {
        var queue = ByteQueue()
        let n = source.takeCiphertext(into: &queue)
        queue.withReadable { bytes in
            if byteByByte {
                for i in 0..<bytes.count { destination.receiveCiphertext(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + 1)])) }
            } else {
                destination.receiveCiphertext(bytes)
            }
        }
        return n
    }

    /// Steps both handshakes until no bytes move; returns the last results.
    static func handshake(client: TLSConnection, server: TLSConnection)
        -> (client: TLSHandshakeResult, server: TLSHandshakeResult) {
        var c = TLSHandshakeResult.wantRead, s = TLSHandshakeResult.wantRead
        for _ in 0..<20 {
            c = client.handshake()
            s = server.handshake()
            if pump(client, server) == 0 { break }
        }
        return (c, s)
    }

    /// Reads everything currently decryptable.
    static func drainPlaintext(_ connection: TLSConnection, into out: inout [UInt8]) -> TLSReadResult {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            let result = buffer.withUnsafeMutableBytes { connection.readPlaintext(into: $0) }
            guard case .bytes(let n) = result else { return result }
            out += buffer[0..<n]
        }
    }

    /// Sends `data` from one endpoint to the other and returns what arrived.
    static func send(_ data: [UInt8], from source: TLSConnection, to destination: TLSConnection,
                     file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
        var offset = 0
        var received: [UInt8] = []
        var rounds = 0
        while received.count < data.count && rounds < 10_000 {
            rounds += 1
            if offset < data.count {
                let result = data.withUnsafeBytes { source.writePlaintext(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                guard case .accepted(let n) = result else {
                    XCTFail("write: \(result)", file: file, line: line)
                    return received
                }
                offset += n
            }
            pump(source, destination)
            let read = drainPlaintext(destination, into: &received)
            if read != .wantRead {
                XCTFail("read: \(read)", file: file, line: line)
                return received
            }
        }
        return received
    }
}

/// Contexts built from the test certificates.
enum TestContexts {
    static var certs: TestCertificates { TestCertificates.shared }

    static func server(_ name: String = "server", chain: String? = nil,
                       clients: TLSServerConfiguration.ClientVerification = .none) throws -> TLSContext {
        let files = TLSCertificateFiles(certificatePath: certs.pem(name), privateKeyPath: certs.key(name), chainPath: chain)
        return try TLSContext(server: TLSServerConfiguration(certificate: files, clientVerification: clients))
    }

    static func client(trust: TLSClientConfiguration.Trust? = nil, certificate: String? = nil,
                       sessionCacheCapacity: Int = 1024) throws -> TLSContext {
        let files = certificate.map { TLSCertificateFiles(certificatePath: certs.pem($0), privateKeyPath: certs.key($0)) }
        return try TLSContext(client: TLSClientConfiguration(trust: trust ?? .caBundle(path: certs.caBundle),
                                                             clientCertificate: files,
                                                             sessionCacheCapacity: sessionCacheCapacity))
    }
}
