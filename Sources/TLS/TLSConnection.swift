internal import COpenSSL
import GatehouseCore

/// One TLS session as a socket-free, nonblocking state machine: the driver
/// feeds the peer's ciphertext in (`receiveCiphertext`), steps it
/// (`handshake`, `readPlaintext`, `writePlaintext`, `shutdown`), and sends
/// whatever ciphertext it produced (`takeCiphertext`) after every step.
/// OpenSSL sees two memory BIOs, never a file descriptor, so this is tested
/// by pumping bytes between two instances, and the event loop keeps full
/// control of reads, writes, interest and deadlines.
///
/// Not thread-safe: owned by one connection driver on one loop thread.
/// Memory stays bounded if the driver feeds what one socket read returned
/// and takes ciphertext after each `writePlaintext` (at most
/// `maxPlaintextPerWrite` per call).
public final class TLSConnection {
    /// Plaintext encrypted per `writePlaintext` call: one full TLS record.
    public static let maxPlaintextPerWrite = 16 * 1024

    public let context: TLSContext
    /// The `SSL *`; owns both BIOs.
    let ssl: OpaquePointer
    /// Peer → OpenSSL (ciphertext fed by the driver).
    var inputBIO: OpaquePointer
    /// OpenSSL → peer (ciphertext taken by the driver).
    var outputBIO: OpaquePointer
    /// Client only: the session-cache key.
    let sessionKey: String?

    /// Set once; every later step reports it again.
    var failure: TLSError?
    var sawFirstByte = false
    var inputEnded = false

    /// Latched when the handshake is seen finished: after a fatal error
    /// OpenSSL's own state no longer says so, and errors are categorised
    /// by whether they happened before or after it.
    var handshakeFinished = false

    /// Whether the handshake has finished (by `handshake()`, or implicitly
    /// by a read or write).
    public var isHandshakeComplete: Bool {
        handshakeFinished || (failure == nil && SSL_is_init_finished(ssl) == 1)
    }

    /// A server-side connection for an accepted client.
    public convenience init(server context: TLSContext) {
        precondition(context.role == .server, "TLSConnection(server:) needs a server context")
        self.init(context: context, sessionKey: nil)
        SSL_set_accept_state(ssl)
    }

    /// A client-side connection to an upstream.
    /// - Parameters:
    ///   - serverName: the host from the upstream URL. A DNS name is sent as
    ///     SNI and must match a DNS SAN; an IP address must match an IP SAN.
    ///   - sessionKey: identifies the peer in the context's session cache;
    ///     connections with the same key resume each other's sessions.
    ///     Pooled upstream connections pass the same "host:port" key.
    ///     Defaults to `serverName`.
    public convenience init(client context: TLSContext, serverName: String, sessionKey: String? = nil) {
        precondition(context.role == .client, "TLSConnection(client:) needs a client context")
        self.init(context: context, sessionKey: sessionKey ?? serverName)
        SSL_set_connect_state(ssl)
        configurePeerName(TLSPeerName(serverName))
        resumeCachedSession()
    }

    private init(context: TLSContext, sessionKey: String?) {
        self.context = context
        self.sessionKey = sessionKey
        guard let ssl = SSL_new(context.ctx) else {
            fatalError("TLSConnection: SSL_new failed: \(OpenSSLErrorQueue.drain())")
        }
        let (input, output) = Self.newBIOs()
        SSL_set_bio(ssl, input, output)
        self.ssl = ssl
        self.inputBIO = input
        self.outputBIO = output
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
    }

    /// A fresh pair of empty memory BIOs (no buffer allocated yet).
    private static func newBIOs() -> (input: OpaquePointer, output: OpaquePointer) {
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            fatalError("TLSConnection: BIO_new failed: \(OpenSSLErrorQueue.drain())")
        }
        // An empty input BIO means "retry later" until the peer's EOF.
        gh_BIO_set_mem_eof_return(input, -1)
        return (input, output)
    }

    deinit {
        // SSL_free treats a connection that never sent close_notify as
        // broken and marks its session not resumable. A pooled upstream
        // connection closed while idle is not broken: keep its session
        // (the latest ticket, shared with the session cache) usable.
        // A connection that failed keeps OpenSSL's default.
        if failure == nil && isHandshakeComplete {
            SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN)
        }
        SSL_free(ssl)
    }

    /// The connection an OpenSSL callback is about (ex_data slot 0).
    static func from(_ ssl: OpaquePointer) -> TLSConnection? {
        guard let raw = SSL_get_ex_data(ssl, 0) else { return nil }
        return Unmanaged<TLSConnection>.fromOpaque(raw).takeUnretainedValue()
    }

    // MARK: ciphertext in and out

    /// Feeds bytes read from the peer's socket.
    public func receiveCiphertext(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if !sawFirstByte {
            sawFirstByte = true
            // Every TLS peer opens with a handshake record (22), or an alert
            // (21) at worst; "GET ", "POST", … are plain HTTP.
            let first = bytes[0]
            if first != 22 && first != 21 && failure == nil {
                failure = TLSError(.notTLS, detail: Self.describeNotTLS(bytes))
            }
        }
        var offset = 0
        while offset < bytes.count {
            let n = BIO_write(inputBIO, base + offset, Int32(clamping: bytes.count - offset))
            precondition(n > 0, "memory BIO refused input")
            offset += Int(n)
        }
    }

    /// Tells the connection the peer closed its side (read returned 0).
    /// Pending records are still processed; after them, a missing
    /// close_notify surfaces as `unexpectedEOF` (or a failed handshake).
    public func receiveEOF() {
        inputEnded = true
        gh_BIO_set_mem_eof_return(inputBIO, 0)
    }

    /// Bytes of ciphertext waiting to be sent to the peer.
    public var pendingCiphertextCount: Int { Int(BIO_ctrl_pending(outputBIO)) }

    /// Moves all pending ciphertext to the back of `queue`; returns its size.
    @discardableResult
    public func takeCiphertext(into queue: inout ByteQueue) -> Int {
        let n = pendingCiphertextCount
        if n == 0 { return 0 }
        queue.withAppendableArray { array in
            let old = array.count
            array.append(contentsOf: repeatElement(0, count: n))
            array.withUnsafeMutableBytes { raw in
                let got = BIO_read(outputBIO, raw.baseAddress! + old, Int32(n))
                precondition(got == Int32(n), "memory BIO returned short read")
            }
        }
        return n
    }

    /// Copies up to `buffer.count` bytes of pending ciphertext into
    /// `buffer` (e.g. the loop's scratch buffer); returns the count.
    public func takeCiphertext(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, pendingCiphertextCount > 0 else { return 0 }
        let got = BIO_read(outputBIO, base, Int32(clamping: buffer.count))
        return got > 0 ? Int(got) : 0
    }

    // MARK: idle memory

    /// Bytes held by the two memory BIOs. They grow to the largest amount
    /// ever buffered and never shrink on their own.
    public var bufferCapacity: Int {
        Int(gh_BIO_mem_capacity(inputBIO)) + Int(gh_BIO_mem_capacity(outputBIO))
    }

    /// Gives the BIOs' memory back when nothing is buffered either way, so an
    /// idle keep-alive connection holds no ciphertext buffers (OpenSSL's own
    /// record buffers are released by `SSL_MODE_RELEASE_BUFFERS`). Call it
    /// where the driver releases its own idle buffers. Does nothing when
    /// bytes are pending or after `receiveEOF()`.
    public func releaseBuffersIfIdle() {
        guard !inputEnded, pendingCiphertextCount == 0, BIO_ctrl_pending(inputBIO) == 0,
              bufferCapacity > 0 else { return }
        let (input, output) = Self.newBIOs()
        SSL_set_bio(ssl, input, output)  // frees the old pair
        inputBIO = input
        outputBIO = output
    }

    private static func describeNotTLS(_ bytes: UnsafeRawBufferPointer) -> String {
        let prefix = bytes.prefix(8).map { $0 >= 32 && $0 < 127 ? Character(UnicodeScalar($0)) : "." }
        return "first bytes \"\(String(prefix))\" do not start a TLS record"
    }
}
