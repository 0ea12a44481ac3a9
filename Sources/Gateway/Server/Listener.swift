#if canImport(Glibc)
import Glibc
#endif
import CLinuxShims
import GatehouseCore
import Reactor

/// A listening socket owned by one loop (each loop binds its own with
/// SO_REUSEPORT and the kernel spreads connections). Accepts until EAGAIN.
final class Listener: LoopHandler {
    let fd: Int32
    let name: String
    /// The server context holder of a TLS listener; nil for plain HTTP.
    let tls: ListenerTLS?
    unowned(unsafe) let ctx: LoopContext
    private var closed = false

    init(fd: Int32, name: String, tls: ListenerTLS?, ctx: LoopContext) throws(SystemError) {
        self.fd = fd
        self.name = name
        self.tls = tls
        self.ctx = ctx
        super.init()
        try ctx.loop.register(fd: fd, handler: self, events: GH_EPOLLIN)
    }

    override func onEvents(_ events: UInt32) {
        var budget = 256  // bound one wake-up's work so other connections get their turn
        while budget > 0 && !closed {
            budget -= 1
            let accepted: (Int32, SocketAddress)?
            do {
                accepted = try Socket.accept(fd)
            } catch {
                // EMFILE/ENFILE and friends: log and retry on the next wake-up.
                ctx.logError("accept failed", [("listener", name), ("error", error.description)])
                return
            }
            guard let (cfd, peer) = accepted else { return }
            if ctx.draining || !ctx.shared.tryOpenConnection() {
                // Over the cap: answer at once (best effort, nonblocking) and close.
                // The answer carries a request ID like every local response.
                // A TLS listener cannot answer before a handshake: it just closes.
                let id = ctx.ids.make()
                if tls == nil {
                    var refusal: [UInt8] = []
                    LocalResponseWriter.write(GatewayError.connectionLimit, requestID: id,
                                              requestIDHeader: ctx.config.requestIDHeader, close: true, into: &refusal)
                    refusal.withUnsafeBytes { _ = Socket.write(cfd, $0) }
                }
                Socket.shutdownWrite(cfd)
                Socket.close(cfd)
                ctx.logLocalRefusal(requestID: id, client: peer.description)
                continue
            }
            Socket.setNoDelay(cfd)
            let conn = DownstreamConnection(fd: cfd, peer: peer, ctx: ctx, tls: tls)
            do {
                try conn.start()
            } catch {
                ctx.logError("register failed", [("error", error.description)])
                conn.abort(reason: "register_failed")
            }
        }
    }

    func close() {
        if closed { return }
        closed = true
        ctx.loop.unregister(fd: fd)
        ctx.loop.detach(self)
        Socket.close(fd)
    }
}
