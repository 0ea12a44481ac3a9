internal import COpenSSL
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Client-side sessions, per context and keyed by peer (`sessionKey`, e.g.
/// "host:port"), so that a new pooled connection to the same upstream
/// resumes instead of doing a full handshake. Shared by every loop using
/// the context, hence the lock; it is touched once per handshake and once
/// per received ticket, never per byte.
///
/// TLS 1.3 tickets are used once (RFC 8446 C.4 advises against reuse, for
/// privacy): `take` removes them, and the resumed connection receives fresh
/// ones. TLS 1.2 sessions stay cached and are shared. The cached objects
/// are the ones the connections still reference: OpenSSL marks a session
/// not resumable when its connection fails (`take` then skips it), which is
/// why `TLSConnection` frees a healthy connection as cleanly shut down. At most
/// `perKeyLimit` sessions are kept per key and `capacity` keys overall (the
/// oldest key is evicted first).
final class TLSSessionCache: Sendable {
    private struct State {
        var sessions: [String: [Session]] = [:]
        var order: [String] = []
    }

    /// An owned `SSL_SESSION *` reference.
    private struct Session: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    static let perKeyLimit = 4
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    deinit {
        state.withLock { s in
            for list in s.sessions.values { for session in list { SSL_SESSION_free(session.pointer) } }
            s.sessions = [:]
        }
    }

    /// Stores a session, taking over the caller's reference.
    func store(_ session: OpaquePointer, for key: String) {
        let evicted: [Session] = state.withLock { s in
            var out: [Session] = []
            if s.sessions[key] == nil {
                s.order.append(key)
                if s.order.count > capacity {
                    let oldest = s.order.removeFirst()
                    out += s.sessions.removeValue(forKey: oldest) ?? []
                }
            }
            var list = s.sessions[key] ?? []
            list.append(Session(pointer: session))
            if list.count > Self.perKeyLimit { out.append(list.removeFirst()) }
            s.sessions[key] = list
            return out
        }
        for session in evicted { SSL_SESSION_free(session.pointer) }
    }

    /// The newest usable session for `key`, with a reference the caller
    /// must free; nil if none is cached. Sessions OpenSSL has since marked
    /// not resumable (their connection failed) or that have expired are
    /// dropped on the way.
    func take(for key: String) -> OpaquePointer? {
        var dropped: [Session] = []
        let found = state.withLock { s -> OpaquePointer? in
            guard var list = s.sessions[key] else { return nil }
            defer {
                if list.isEmpty {
                    s.sessions[key] = nil
                    s.order.removeAll { $0 == key }
                } else {
                    s.sessions[key] = list
                }
            }
            let now = Int(time(nil))
            while let newest = list.last {
                if !Self.isUsable(newest.pointer, now: now) {
                    dropped.append(list.removeLast())
                    continue
                }
                if SSL_SESSION_get_protocol_version(newest.pointer) >= GH_TLS1_3_VERSION {
                    return list.removeLast().pointer
                }
                SSL_SESSION_up_ref(newest.pointer)
                return newest.pointer
            }
            return nil
        }
        for session in dropped { SSL_SESSION_free(session.pointer) }
        return found
    }

    /// Resumable (its connection did not fail) and not past its lifetime
    /// (TLS 1.2 session timeout or TLS 1.3 ticket lifetime), so offering it
    /// is not a wasted ClientHello extension.
    private static func isUsable(_ session: OpaquePointer, now: Int) -> Bool {
        guard SSL_SESSION_is_resumable(session) == 1 else { return false }
        let expires = Int(SSL_SESSION_get_time(session)) + Int(SSL_SESSION_get_timeout(session))
        return now < expires
    }
}
