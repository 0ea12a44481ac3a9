internal import COpenSSL

/// OpenSSL reports failures on a per-thread error queue. Every call that can
/// fail is preceded by `clear()` (so a stale entry is never blamed) and a
/// failure is described with `drain()` (so nothing is left for the next
/// connection handled on the same loop thread).
enum OpenSSLErrorQueue {
    static func clear() { ERR_clear_error() }

    /// The queued errors as "library: reason (detail); …", emptied.
    static func drain() -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 1024) { buf in
            let n = gh_err_drain(buf.baseAddress!, buf.count)
            if n == 0 { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress!, count: n), as: UTF8.self)
        }
    }

    /// `drain()`, or `fallback` when the queue was empty.
    static func drain(or fallback: String) -> String {
        let text = drain()
        return text.isEmpty ? fallback : text
    }
}
