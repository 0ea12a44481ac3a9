/// Idle keep-alive connections to one upstream target, per loop. LIFO, so
/// the warmest connection is reused first and surplus ones age out.
final class UpstreamPool {
    let target: UpstreamTarget
    private(set) var idle: [UpstreamConnection] = []
    static let maxIdle = 256

    init(target: UpstreamTarget) { self.target = target }

    /// Takes the most recently used idle connection, if any.
    func take() -> UpstreamConnection? { idle.popLast() }

    /// Returns a connection that finished a clean exchange; false if full.
    func put(_ conn: UpstreamConnection) -> Bool {
        if idle.count >= Self.maxIdle { return false }
        idle.append(conn)
        return true
    }

    /// Forgets a connection that closed while idle.
    func remove(_ conn: UpstreamConnection) {
        if let i = idle.lastIndex(where: { $0 === conn }) { idle.remove(at: i) }
    }

    func closeAll() {
        let all = idle
        idle.removeAll()
        for c in all { c.close() }
    }
}
