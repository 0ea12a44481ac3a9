#if canImport(Glibc)
import Glibc
#endif

/// Starts detached OS threads. Event loops, the log writer and (later) the
/// recorder each own one thread for their whole life, so a plain pthread is
/// all that is needed; no thread pool, no Foundation.Thread.
public enum OSThread {
    private final class Box: Sendable {
        let body: @Sendable () -> Void
        let name: String
        init(_ name: String, _ body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
    }

    /// Runs `body` on a new detached thread named `name` (truncated to 15
    /// bytes, the kernel's limit).
    public static func spawn(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name, body))
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { arg in
            let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            box.body()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            fatalError("pthread_create failed: \(SystemError("pthread_create", errno: rc))")
        }
        pthread_detach(tid)
    }
}
