#if canImport(Glibc)
import Glibc
#endif
import CLinuxShims
import GatehouseCore
import HTTP1
import Reactor
import GatewayConfig
import TLS

/// One request of `InternalHTTPClient` on its loop: connect (trying each
/// resolved address in turn), TLS, write, read the whole response, call
/// the completion once, close.
final class ClientExchange: LoopHandler {
    private let loop: EventLoop
    private let request: HTTPClientRequest
    private let url: UpstreamURLView
    private let target: String
    private var addresses: [SocketAddress]
    private let tlsContext: TLSContext?
    private let deadline: UInt64
    private var completion: (@Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void)?

    private var fd: Int32 = -1
    private var transport = StreamTransport(fd: -1)
    private var connecting = false
    private var output = ByteQueue()
    private var input = ByteQueue()
    private var parser = ResponseHeadParser(limits: HTTPLimits(maxRequestLineBytes: 8192, maxHeaderBytes: 65536,
                                                              maxHeaderCount: 200))
    private var head: ResponseHead?
    private var body = BodyReader(framing: .none)
    private var bodyBytes: [UInt8] = []
    private let scratch: UnsafeMutableRawBufferPointer
    private var lastError: HTTPClientError?

    struct UpstreamURLView {
        var host: String
        var port: Int
        var authority: String
        var isHTTPS: Bool
    }

    private init(loop: EventLoop, request: HTTPClientRequest, url: UpstreamURLView, target: String,
                 addresses: [SocketAddress], tls: TLSContext?, deadline: UInt64,
                 completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void) {
        self.loop = loop
        self.request = request
        self.url = url
        self.target = target
        self.addresses = addresses
        self.tlsContext = tls
        self.deadline = deadline
        self.completion = completion
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        super.init()
    }

    deinit { scratch.deallocate() }

    /// Starts an exchange: connects at once when `addresses` is given, else
    /// waits for `resolved(_:)`. The deadline timer is armed either way.
    @discardableResult
    static func start(on loop: EventLoop, request: HTTPClientRequest, url: UpstreamURL, target: String,
                      addresses: [SocketAddress]?, tls: TLSContext?, deadline: UInt64,
                      completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void)
        -> ClientExchange {
        let view = UpstreamURLView(host: url.host, port: url.port, authority: url.authority, isHTTPS: url.isHTTPS)
        let exchange = ClientExchange(loop: loop, request: request, url: view, target: target,
                                      addresses: addresses ?? [], tls: tls, deadline: deadline, completion: completion)
        loop.attach(exchange)
        loop.arm(exchange, at: deadline)
        exchange.writeRequest()
        if addresses != nil { exchange.connectNext() }
        return exchange
    }

    /// The host name was resolved (on another thread, posted here). Ignored
    /// when the exchange already ended (its deadline passed).
    func resolved(_ result: Result<[SocketAddress], HTTPClientError>) {
        guard completion != nil else { return }
        switch result {
        case .success(let list):
            addresses = list
            connectNext()
        case .failure(let error):
            finish(.failure(error))
        }
    }

    private func writeRequest() {
        output.withAppendableArray { out in
            HTTPSerializer.writeRequestLine(method: request.method, target: target, into: &out)
            HTTPSerializer.writeField(name: "Host", value: url.authority, into: &out)
            HTTPSerializer.writeField(name: "User-Agent", value: "gatehouse", into: &out)
            for (name, value) in request.headers { HTTPSerializer.writeField(name: name, value: value, into: &out) }
            if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
                HTTPSerializer.writeField(name: "Content-Length", decimal: UInt64(request.body.count), into: &out)
            }
            HTTPSerializer.writeField(name: "Connection", value: "close", into: &out)
            HTTPSerializer.endHead(into: &out)
            out.append(contentsOf: request.body)
        }
    }

    /// Tries the next resolved address; fails when none is left.
    private func connectNext() {
        closeSocket()
        guard !addresses.isEmpty else {
            finish(.failure(lastError ?? HTTPClientError(.resolveFailed, "\(url.host): no address")))
            return
        }
        let address = addresses.removeFirst()
        do throws(SystemError) {
            let (fd, connected) = try Socket.connect(to: address)
            self.fd = fd
            let tls = tlsContext.map { TLSConnection(client: $0, serverName: url.host, sessionKey: "\(url.host):\(url.port)") }
            transport = StreamTransport(fd: fd, tls: tls)
            connecting = !connected
            try loop.register(fd: fd, handler: self, events: GH_EPOLLOUT | GH_EPOLLIN | GH_EPOLLRDHUP)
            if connected { flush() }
        } catch {
            lastError = HTTPClientError(.connectFailed, "\(address): \(error)")
            connectNext()
        }
    }

    override func onEvents(_ events: UInt32) {
        guard completion != nil, fd >= 0 else { return }
        if connecting {
            let err = Socket.pendingError(fd)
            if err != 0 {
                lastError = HTTPClientError(.connectFailed, SystemError("connect", errno: err).description)
                connectNext()
                return
            }
            if events & GH_EPOLLOUT == 0 { return }
            connecting = false
        }
        if events & GH_EPOLLOUT != 0 { flush() }
        if completion != nil && events & (GH_EPOLLIN | GH_EPOLLRDHUP | GH_EPOLLHUP | GH_EPOLLERR) != 0 { readAvailable() }
    }

    private func flush() {
        switch transport.send(&output, scratch: scratch) {
        case .done, .pending: break
        case .failed(let e): fail(.connectFailed, SystemError("write", errno: e).description)
        case .tlsFailed(let error): fail(.tls(error), error.description)
        }
        updateInterest()
    }

    private func updateInterest() {
        guard fd >= 0, completion != nil else { return }
        let events = GH_EPOLLIN | GH_EPOLLRDHUP | (transport.writeBlocked ? GH_EPOLLOUT : 0)
        loop.modify(fd: fd, handler: self, events: events)
    }

    private func readAvailable() {
        for _ in 0..<64 {
            let wasEstablished = transport.isEstablished
            switch transport.receive(into: &input, scratch: scratch) {
            case .received(let n):
                if !wasEstablished && transport.isEstablished && !output.isEmpty { flush() }
                if n > 0 { parse() }
                if completion == nil { return }
            case .wouldBlock:
                return
            case .closed:
                if head != nil && body.peerClosed() { complete() } else { fail(.malformedResponse, "the server closed before the response ended") }
                return
            case .failed(let e):
                fail(.malformedResponse, SystemError("read", errno: e).description)
                return
            case .tlsFailed(let error):
                fail(.tls(error), error.description)
                return
            }
        }
    }

    private func parse() {
        while completion != nil {
            if head == nil {
                let result = input.withReadable { parser.parse($0, requestMethod: request.method) }
                switch result {
                case .needMore: return
                case .failed(let error):
                    fail(.malformedResponse, error.message)
                    return
                case .complete(let h, let consumed):
                    input.consume(consumed)
                    if h.isInformational { parser.reset(); continue }
                    head = h
                    body = BodyReader(framing: h.framing, forResponse: true)
                    if body.finished { complete(); return }
                }
            } else {
                if input.isEmpty { return }
                var failure: HTTPParseError?
                var tooLarge = false
                let limit = request.maxResponseBytes
                let consumed = input.withReadable { bytes -> Int in
                    do throws(HTTPParseError) {
                        return try body.read(bytes) { piece in
                            if bodyBytes.count + piece.count > limit { tooLarge = true; return }
                            bodyBytes.append(contentsOf: piece)
                        }
                    } catch {
                        failure = error
                        return 0
                    }
                }
                if let failure { fail(.malformedResponse, failure.message); return }
                if tooLarge { fail(.responseTooLarge, "the response body exceeds \(limit) bytes"); return }
                input.consume(consumed)
                if body.finished { complete() }
                return
            }
        }
    }

    override func onTimer(now: UInt64) {
        guard completion != nil else { return }
        if now >= deadline {
            fail(.timeout, "no complete response within \(request.timeoutMs) ms")
        } else {
            loop.arm(self, at: deadline)
        }
    }

    private func complete() {
        guard let head else { return }
        finish(.success(HTTPClientResponse(status: head.status, headers: head.headers, body: bodyBytes)))
    }

    private func fail(_ kind: HTTPClientError.Kind, _ detail: String) {
        finish(.failure(HTTPClientError(kind, detail)))
    }

    private func finish(_ result: Result<HTTPClientResponse, HTTPClientError>) {
        guard let completion else { return }
        self.completion = nil
        closeSocket()
        loop.detach(self)
        completion(result)
    }

    private func closeSocket() {
        guard fd >= 0 else { return }
        loop.unregister(fd: fd)
        Socket.close(fd)
        fd = -1
    }
}
