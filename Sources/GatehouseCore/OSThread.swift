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
            setCurrentThreadName(box.name)
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

/// Names the calling thread (what `top -H`, gdb and /proc show). Writes
/// /proc/thread-self/comm, the file behind prctl(PR_SET_NAME), because
/// pthread_setname_np and prctl are not importable from Swift here. Best
/// effort: without /proc the thread simply keeps its inherited name.
private func setCurrentThreadName(_ name: String) {
    var bytes = Array(name.utf8.prefix(15))
    if bytes.isEmpty { return }
    let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    if fd < 0 { return }
    _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}
