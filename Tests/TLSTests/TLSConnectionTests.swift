import GatehouseTestSupport
import GatehouseCore
import TLS
import XCTest

/// A server and a client connection pumped against each other in memory.
final class TLSConnectionTests: XCTestCase {
    private func connectedPair() throws -> (client: TLSConnection, server: TLSConnection) {
        let client = TLSConnection(client: try TestContexts.client(), serverName: "localhost")
        let server = TLSConnection(server: try TestContexts.server())
        let result = TLSPump.handshake(client: client, server: server)
        XCTAssertEqual(result.client, .done)
        XCTAssertEqual(result.server, .done)
        return (client, server)
    }

    func testHandshakeNegotiatesTLS13AndALPN() throws {
        let (client, server) = try connectedPair()
        XCTAssertTrue(client.isHandshakeComplete)
        XCTAssertTrue(server.isHandshakeComplete)
        XCTAssertEqual(client.negotiatedProtocol, "http/1.1")
        XCTAssertEqual(server.negotiatedProtocol, "http/1.1")
        XCTAssertEqual(client.protocolVersion, "TLSv1.3")
        XCTAssertNotNil(client.cipherName)
        XCTAssertTrue(client.hasPeerCertificate)
        XCTAssertEqual(client.peerCertificateSubject, "CN=localhost")
        XCTAssertFalse(server.hasPeerCertificate)
        XCTAssertFalse(client.isResumed)
    }

    func testEchoesOneMebibyteInBothDirections() throws {
        let (client, server) = try connectedPair()
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let atServer = TLSPump.send(payload, from: client, to: server)
        XCTAssertEqual(atServer.count, payload.count)
        XCTAssertTrue(atServer == payload)
        let atClient = TLSPump.send(atServer, from: server, to: client)
        XCTAssertEqual(atClient.count, payload.count)
        XCTAssertTrue(atClient == payload)
    }

    func testWriteAcceptsAtMostOneRecord() throws {
        let (client, _) = try connectedPair()
        let big = [UInt8](repeating: 7, count: 100_000)
        let result = big.withUnsafeBytes { client.writePlaintext($0) }
        XCTAssertEqual(result, .accepted(TLSConnection.maxPlaintextPerWrite))
        XCTAssertGreaterThan(client.pendingCiphertextCount, TLSConnection.maxPlaintextPerWrite)
    }

    func testCloseNotifyBothWays() throws {
        let (client, server) = try connectedPair()
        XCTAssertEqual(client.shutdown(), .sent)
        TLSPump.pump(client, server)
        var ignored: [UInt8] = []
        XCTAssertEqual(TLSPump.drainPlaintext(server, into: &ignored), .closed)
        XCTAssertEqual(server.shutdown(), .complete)
        TLSPump.pump(client, server)
        XCTAssertEqual(TLSPump.drainPlaintext(client, into: &ignored), .closed)
        XCTAssertTrue(ignored.isEmpty)
    }

    func testEOFWithoutCloseNotifyIsUnexpectedEOF() throws {
        let (client, server) = try connectedPair()
        let hello = Array("partial".utf8)
        XCTAssertEqual(hello.withUnsafeBytes { client.writePlaintext($0) }, .accepted(hello.count))
        TLSPump.pump(client, server)
        server.receiveEOF()
        var got: [UInt8] = []
        let result = TLSPump.drainPlaintext(server, into: &got)
        XCTAssertEqual(got, hello, "records before the EOF are still delivered")
        guard case .failed(let error) = result else { return XCTFail("expected failure, got \(result)") }
        XCTAssertEqual(error.kind, .unexpectedEOF)
    }

    func testEOFDuringHandshakeFailsTheHandshake() throws {
        let server = TLSConnection(server: try TestContexts.server())
        XCTAssertEqual(server.handshake(), .wantRead)
        server.receiveEOF()
        guard case .failed(let error) = server.handshake() else { return XCTFail("handshake should fail") }
        XCTAssertEqual(error.kind, .handshakeFailed)
        XCTAssertEqual(server.shutdown(), .notApplicable)
    }

    func testPlainHTTPToServerIsNotTLS() throws {
        let server = TLSConnection(server: try TestContexts.server())
        let request = Array("GET / HTTP/1.1\r\nHost: gatehouse\r\n\r\n".utf8)
        request.withUnsafeBytes { server.receiveCiphertext($0) }
        guard case .failed(let error) = server.handshake() else { return XCTFail("handshake should fail") }
        XCTAssertEqual(error.kind, .notTLS)
        XCTAssertEqual(error.code, "not_tls")
        XCTAssertTrue(error.detail.contains("GET / HT"), error.detail)
        XCTAssertEqual(server.pendingCiphertextCount, 0, "nothing is sent to a plain-HTTP client")
        // The failure sticks.
        var buffer = [UInt8](repeating: 0, count: 16)
        XCTAssertEqual(buffer.withUnsafeMutableBytes { server.readPlaintext(into: $0) }, .failed(error))
    }

    func testPlainHTTPResponseToClientIsNotTLS() throws {
        let client = TLSConnection(client: try TestContexts.client(), serverName: "localhost")
        XCTAssertEqual(client.handshake(), .wantRead)
        XCTAssertGreaterThan(client.pendingCiphertextCount, 0, "ClientHello queued")
        let response = Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8)
        response.withUnsafeBytes { client.receiveCiphertext($0) }
        guard case .failed(let error) = client.handshake() else { return XCTFail("handshake should fail") }
        XCTAssertEqual(error.kind, .notTLS)
    }

    func testGarbageAfterHandshakeIsProtocolError() throws {
        let (client, server) = try connectedPair()
        let junk = [UInt8](repeating: 0x17, count: 64)  // application_data type, bad version and length
        junk.withUnsafeBytes { server.receiveCiphertext($0) }
        var got: [UInt8] = []
        guard case .failed(let error) = TLSPump.drainPlaintext(server, into: &got) else {
            return XCTFail("garbage should fail")
        }
        XCTAssertEqual(error.kind, .protocolError)
        XCTAssertFalse(error.detail.isEmpty)
        XCTAssertTrue(server.isHandshakeComplete, "a later failure does not undo the handshake")
        XCTAssertEqual(server.shutdown(), .notApplicable, "no close_notify after a fatal error")
        _ = client
    }

    func testTakeCiphertextIntoRawBuffer() throws {
        let client = TLSConnection(client: try TestContexts.client(), serverName: "localhost")
        XCTAssertEqual(client.handshake(), .wantRead)
        let pending = client.pendingCiphertextCount
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let n = buffer.withUnsafeMutableBytes { client.takeCiphertext(into: $0) }
        XCTAssertEqual(n, pending)
        XCTAssertEqual(buffer[0], 22, "a handshake record")
        XCTAssertEqual(client.pendingCiphertextCount, 0)
    }

    func testHandshakeWithCiphertextArrivingOneByteAtATime() throws {
        let client = TLSConnection(client: try TestContexts.client(), serverName: "localhost")
        let server = TLSConnection(server: try TestContexts.server())
        var c = TLSHandshakeResult.wantRead, s = TLSHandshakeResult.wantRead
        for _ in 0..<20 {
            c = client.handshake()
            s = server.handshake()
            let moved = TLSPump.transfer(from: client, to: server, byteByByte: true)
                + TLSPump.transfer(from: server, to: client, byteByByte: true)
            if moved == 0 { break }
        }
        XCTAssertEqual(c, .done)
        XCTAssertEqual(s, .done)
        XCTAssertEqual(TLSPump.send(Array("fragmented".utf8), from: client, to: server), Array("fragmented".utf8))
    }

    func testWriteBeforeHandshakeDrivesIt() throws {
        let client = TLSConnection(client: try TestContexts.client(), serverName: "localhost")
        let server = TLSConnection(server: try TestContexts.server())
        let hello = Array("early".utf8)
        XCTAssertEqual(hello.withUnsafeBytes { client.writePlaintext($0) }, .wantRead)
        XCTAssertGreaterThan(client.pendingCiphertextCount, 0, "the ClientHello went out")
        let results = TLSPump.handshake(client: client, server: server)
        XCTAssertEqual(results.client, .done)
        XCTAssertEqual(results.server, .done)
        XCTAssertEqual(TLSPump.send(hello, from: client, to: server), hello)
    }

    func testErrorCodesAreStable() {
        XCTAssertEqual(TLSError(.verifyFailed(reason: .unknownCA), detail: "").code, "verify_failed_unknown_ca")
        XCTAssertEqual(TLSError(.verifyFailed(reason: .other("x")), detail: "x").code, "verify_failed_other")
        XCTAssertEqual(TLSError(.handshakeFailed, detail: "no shared cipher").description,
                       "handshake_failed: no shared cipher")
    }

    func testIdleConnectionReleasesItsBuffers() throws {
        let (client, server) = try connectedPair()
        let payload = [UInt8](repeating: 0x5a, count: 200_000)
        XCTAssertEqual(TLSPump.send(payload, from: client, to: server).count, payload.count)
        XCTAssertGreaterThan(client.bufferCapacity, 0)
        XCTAssertGreaterThan(server.bufferCapacity, 0)
        // The client has not read the server's session tickets yet: not idle.
        client.releaseBuffersIfIdle()
        XCTAssertGreaterThan(client.bufferCapacity, 0)
        var tickets: [UInt8] = []
        XCTAssertEqual(TLSPump.drainPlaintext(client, into: &tickets), .wantRead)
        client.releaseBuffersIfIdle()
        server.releaseBuffersIfIdle()
        XCTAssertEqual(client.bufferCapacity, 0)
        XCTAssertEqual(server.bufferCapacity, 0)
        // The connection works on with the new buffers.
        XCTAssertEqual(TLSPump.send(Array("again".utf8), from: server, to: client), Array("again".utf8))
        XCTAssertEqual(TLSPump.send(Array("and back".utf8), from: client, to: server), Array("and back".utf8))
    }

    func testBuffersAreKeptWhileBytesArePending() throws {
        let (client, server) = try connectedPair()
        let hello = Array("pending".utf8)
        XCTAssertEqual(hello.withUnsafeBytes { client.writePlaintext($0) }, .accepted(hello.count))
        let capacity = client.bufferCapacity
        client.releaseBuffersIfIdle()
        XCTAssertEqual(client.bufferCapacity, capacity, "ciphertext waiting to be sent is not dropped")
        TLSPump.pump(client, server)
        var got: [UInt8] = []
        XCTAssertEqual(TLSPump.drainPlaintext(server, into: &got), .wantRead)
        XCTAssertEqual(got, hello)
    }
}
