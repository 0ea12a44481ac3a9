import GatehouseCore
import Reactor
import TLS

/// How one connection's bytes cross its socket: as they are (plain HTTP),
/// or through a TLS session over memory BIOs. The HTTP drivers (the client
/// side, the upstream side and the internal HTTPS client) keep their
/// plaintext queues and call `receive` and `send`; this type owns the
/// syscalls, the handshake steps and the ciphertext, so the three share one
/// TLS driver.
///
/// Plain connections pay one branch per call. With TLS, a socket read's
/// ciphertext is decrypted completely into the caller's input (never left
/// inside OpenSSL, where level-triggered epoll could not see it), and
/// plaintext is encrypted only as fast as the socket takes it: at most
/// about one record of ciphertext is ever buffered here.
struct StreamTransport {
    let fd: Int32
    /// The TLS session; nil for plain TCP.
    let tls: TLSConnection?
    /// Ciphertext the socket has not taken yet.
    private var pendingCiphertext = ByteQueue()
    /// The last write hit EAGAIN: the driver waits for EPOLLOUT.
    private(set) var writeBlocked = false
    /// How the peer's stream ended, noticed while plaintext was still being
    /// delivered: reported by the next `receive` (see `pendingEnd`).
    private(set) var pendingEnd: ReceiveResult?

    init(fd: Int32, tls: TLSConnection? = nil) {
        self.fd = fd
        self.tls = tls
    }

    enum ReceiveResult: Equatable {
        /// Plaintext bytes appended to the input (0 while handshaking, or for
        /// a record without application data such as a session ticket).
        case received(Int)
        case wouldBlock
        /// The peer ended its stream cleanly: TCP EOF on a plain connection,
        /// close_notify with TLS.
        case closed
        /// A reset or another read error (errno).
        case failed(Int32)
        /// TLS failed: the handshake, certificate verification, a bad
        /// record, plain text on a TLS port, or an EOF without close_notify
        /// (`unexpectedEOF`: a close-delimited body may be truncated).
        case tlsFailed(TLSError)
    }

    enum SendResult: Equatable {
        /// Everything up to the withheld tail went out.
        case done
        /// Some is still queued: wait for EPOLLOUT if `writeBlocked`, else
        /// for the peer (a TLS handshake in progress); call `send` again then.
        case pending
        /// The write failed (errno; 0 for EOF).
        case failed(Int32)
        case tlsFailed(TLSError)
    }

    /// Whether the TLS handshake (if any) is done.
    var isEstablished: Bool { tls?.isHandshakeComplete ?? true }

    // MARK: receiving

    /// Reads once from the socket and appends whatever plaintext it yields
    /// to `input`. `scratch` is the loop's shared buffer.
    mutating func receive(into input: inout ByteQueue, scratch: UnsafeMutableRawBufferPointer) -> ReceiveResult {
        if let end = pendingEnd { return end }
        guard let tls else {
            switch Socket.read(fd, into: scratch) {
            case .bytes(let n):
                input.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                return .received(n)
            case .wouldBlock: return .wouldBlock
            case .eof: return .closed
            case .failed(let e): return .failed(e)
            }
        }
        switch Socket.read(fd, into: scratch) {
        case .bytes(let n): tls.receiveCiphertext(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
        case .wouldBlock: return .wouldBlock
        case .eof: tls.receiveEOF()
        case .failed(let e): return .failed(e)
        }
        if !tls.isHandshakeComplete {
            let step = tls.handshake()
            if case .failed(let e) = flushCiphertext(scratch: scratch) { return .failed(e) }
            switch step {
            case .done: break
            case .wantRead: return .received(0)
            case .failed(let error): return .tlsFailed(error)
            }
        }
        return drainPlaintext(into: &input, scratch: scratch)
    }

    /// Decrypts every complete record buffered in the TLS session.
    private mutating func drainPlaintext(into input: inout ByteQueue,
                                         scratch: UnsafeMutableRawBufferPointer) -> ReceiveResult {
        guard let tls else { return .received(0) }
        var total = 0
        // One socket read is at most scratch-sized, so this ends quickly;
        // the bound only guards against a misbehaving library.
        for _ in 0..<4096 {
            let result = tls.readPlaintext(into: scratch)
            var end: ReceiveResult?
            switch result {
            case .bytes(let n):
                input.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                total += n
                continue
            case .wantRead: end = nil
            case .closed: end = .closed
            case .failed(let error): end = .tlsFailed(error)
            }
            // A read can produce output (a key-update reply, an alert).
            if case .failed(let e) = flushCiphertext(scratch: scratch), end == nil { end = .failed(e) }
            guard let end else { return .received(total) }
            if total == 0 { return end }
            pendingEnd = end
            return .received(total)
        }
        return .received(total)
    }

    // MARK: sending

    /// Sends `output` except its last `withholding` bytes (consumed as they
    /// are taken). With TLS, drives a handshake that has not finished yet.
    mutating func send(_ output: inout ByteQueue, withholding: Int = 0,
                       scratch: UnsafeMutableRawBufferPointer) -> SendResult {
        guard let tls else {
            if output.count <= withholding { return .done }
            let (written, result) = output.withReadable {
                writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<($0.count - withholding)]))
            }
            output.consume(written)
            if result == .done { writeBlocked = false }
            return result
        }
        switch flushCiphertext(scratch: scratch) {
        case .done: break
        case .pending: return .pending
        case .failed(let e): return .failed(e)
        case .tlsFailed(let error): return .tlsFailed(error)
        }
        if !tls.isHandshakeComplete {
            let step = tls.handshake()
            let flushed = flushCiphertext(scratch: scratch)
            switch step {
            case .done: break
            case .wantRead: return flushed == .done ? .pending : flushed
            case .failed(let error): return .tlsFailed(error)
            }
            if flushed != .done { return flushed }
        }
        while output.count > withholding {
            let r = output.withReadable {
                tls.writePlaintext(UnsafeRawBufferPointer(rebasing: $0[0..<($0.count - withholding)]))
            }
            switch r {
            case .accepted(let n):
                output.consume(n)
                let flushed = flushCiphertext(scratch: scratch)
                if flushed != .done { return flushed }
            case .wantRead: return .pending
            case .failed(let error): return .tlsFailed(error)
            }
        }
        return .done
    }

    /// Writes the ciphertext waiting here and in the session's output BIO.
    private mutating func flushCiphertext(scratch: UnsafeMutableRawBufferPointer) -> SendResult {
        if !pendingCiphertext.isEmpty {
            let (written, result) = pendingCiphertext.withReadable { writeAll($0) }
            pendingCiphertext.consume(written)
            if result != .done { return result }
        }
        guard let tls else { return .done }
        // (A `for … where` would test all 1024 iterations: stop at the first empty check.)
        var rounds = 0
        while rounds < 1024 && tls.pendingCiphertextCount > 0 {
            rounds += 1
            let n = tls.takeCiphertext(into: scratch)
            let (written, result) = writeAll(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
            if result == .pending {
                pendingCiphertext.append(UnsafeRawBufferPointer(rebasing: scratch[written..<n]))
            }
            if result != .done { return result }
        }
        writeBlocked = false
        return .done
    }

    /// Writes `bytes` until all are written or the socket refuses; returns
    /// how many were written and `.done`, `.pending` (EAGAIN: `writeBlocked`
    /// is set) or `.failed`.
    private mutating func writeAll(_ bytes: UnsafeRawBufferPointer) -> (Int, SendResult) {
        var offset = 0
        while offset < bytes.count {
            switch Socket.write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .bytes(let k): offset += k
            case .wouldBlock:
                writeBlocked = true
                return (offset, .pending)
            case .eof: return (offset, .failed(0))
            case .failed(let e): return (offset, .failed(e))
            }
        }
        return (offset, .done)
    }

    // MARK: closing and idle memory

    /// Queues close_notify and sends it, best effort, before the driver
    /// half-closes or closes the socket.
    mutating func sendCloseNotify(scratch: UnsafeMutableRawBufferPointer) {
        guard let tls else { return }
        switch tls.shutdown() {
        case .sent, .complete: _ = flushCiphertext(scratch: scratch)
        case .notApplicable: break
        }
    }

    /// Gives back buffer memory while the connection is idle. The TLS
    /// session's memory BIOs are swapped for empty ones only when they have
    /// grown past 32 KiB: small keep-alive exchanges reuse theirs instead of
    /// reallocating two BIOs per request.
    mutating func releaseIdleBuffers() {
        guard let tls else { return }  // plain connections hold nothing here
        pendingCiphertext.releaseIfEmpty()
        if tls.bufferCapacity > 32 * 1024 { tls.releaseBuffersIfIdle() }
    }
}
