import Glibc

/// One `VerifiedTokenCache` per thread (so per event loop), found through a
/// pthread key: a cache hit takes no lock. Caches are released when their
/// thread exits.
final class PerThreadCache: @unchecked Sendable {
    private var key = pthread_key_t()
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        let rc = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<VerifiedTokenCache>.fromOpaque(raw).release()
        }
        precondition(rc == 0, "pthread_key_create failed: \(rc)")
    }

    deinit {
        // Caches of threads still alive leak until their exit; stages live
        // as long as the process in the gateway.
        pthread_key_delete(key)
    }

    /// The calling thread's cache, created on first use.
    var current: VerifiedTokenCache {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<VerifiedTokenCache>.fromOpaque(raw).takeUnretainedValue()
        }
        let cache = VerifiedTokenCache(capacity: capacity)
        pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }
}
