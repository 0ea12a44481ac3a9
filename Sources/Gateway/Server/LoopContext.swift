#if canImport(Glibc)
import Glibc
#endif
import GatehouseCore
import Reactor

/// Per-loop state shared by every connection on that loop: the config in
/// force, a scratch read buffer, log buffers, the upstream pools. Touched
/// only on the loop's thread.
final class LoopContext {
    let loop: EventLoop
    let shared: GatewayShared
    var config: RuntimeConfig
    /// One read buffer for all connections of this loop: idle connections
    /// hold no buffer of their own.
    let scratch: UnsafeMutableRawBufferPointer
    var accessBuffer: [UInt8] = []
    var errorBuffer: [UInt8] = []
    /// The buffer a whole masked body is written into before it is copied
    /// to the client's output; reused (up to 64 KiB) so a masked response
    /// allocates none.
    var maskedBody: [UInt8] = []
    /// The buffer lent to a whole-body masker (`ResponseBodyMasker.lendBuffer`):
    /// it gathers the body before masking, or holds the masked body when it
    /// arrived in one piece; reused likewise (up to 64 KiB).
    /// An exchange holds it from its response head to its end, so a second
    /// masked response on the loop meanwhile gathers into a fresh array.
    var maskInput: [UInt8] = []
    var clock = WallClockFormatter()
    var ids = RequestIDGenerator()
    var pools: [ObjectIdentifier: UpstreamPool] = [:]
    var downstreams: [ObjectIdentifier: DownstreamConnection] = [:]
    var listeners: [Listener] = []
    var draining = false
    var drainDeadline: UInt64 = 0

    static let scratchSize = 64 * 1024

    init(loop: EventLoop, shared: GatewayShared, config: RuntimeConfig) {
        self.loop = loop
        self.shared = shared
        self.config = config
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.scratchSize, alignment: 16)
        accessBuffer.reserveCapacity(64 * 1024)
        loop.addIterationHook { [unowned self] in self.flushLogs() }
    }

    deinit { scratch.deallocate() }

    func pool(for target: UpstreamTarget) -> UpstreamPool {
        let key = ObjectIdentifier(target)
        if let p = pools[key] { return p }
        let p = UpstreamPool(target: target)
        pools[key] = p
        return p
    }

    func logError(_ message: String, _ fields: [(String, String)] = []) {
        EventLog.line(level: "error", message: message, fields: fields, clock: &clock, to: &errorBuffer)
    }

    func logWarning(_ message: String, _ fields: [(String, String)] = []) {
        EventLog.line(level: "warn", message: message, fields: fields, clock: &clock, to: &errorBuffer)
    }

    /// Access-log line for a connection refused at the connection cap.
    func logLocalRefusal(requestID: String, client: String) {
        logAccess(AccessRecord(requestID: requestID, route: "-", method: "-", path: "-", status: 503,
                               bytesIn: 0, bytesOut: 0, totalNs: 0, upstreamNs: nil, outcome: "rejected",
                               errorCode: GatewayError.connectionLimit.code, client: client, upstream: nil))
    }

    func logAccess(_ record: AccessRecord) {
        guard config.accessLog else { return }
        AccessLog.append(record, clock: &clock, to: &accessBuffer)
    }

    private func flushLogs() {
        if !accessBuffer.isEmpty {
            LogSink.shared.submit(accessBuffer, to: .stdout)
            accessBuffer.removeAll(keepingCapacity: true)
        }
        if !errorBuffer.isEmpty {
            LogSink.shared.submit(errorBuffer, to: .stderr)
            errorBuffer.removeAll(keepingCapacity: true)
        }
    }

    /// Called whenever a downstream connection closes, to finish a drain.
    func connectionClosed(_ conn: DownstreamConnection) {
        downstreams.removeValue(forKey: ObjectIdentifier(conn))
        shared.connectionClosed()
        if draining && downstreams.isEmpty { finishDrain() }
    }

    /// Stops accepting, closes idle connections, and lets busy ones finish.
    func beginDrain(deadline: UInt64) {
        draining = true
        drainDeadline = deadline
        for l in listeners { l.close() }
        listeners.removeAll()
        for conn in Array(downstreams.values) { conn.drain() }
        for p in pools.values { p.closeAll() }
        if downstreams.isEmpty { finishDrain() }
    }

    /// The drain deadline passed: abort whatever is left.
    func forceClose() {
        for conn in Array(downstreams.values) { conn.abort(reason: "drain_deadline") }
        finishDrain()
    }

    private var finished = false
    private func finishDrain() {
        if finished { return }
        finished = true
        for p in pools.values { p.closeAll() }
        flushLogs()
        loop.stop()
    }
}
