#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the machine that determine defaults.
public enum SystemInfo {
    /// Online CPU cores (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    public static var onlineCores: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// The default for `"loops"`: ``onlineCores`` clamped to 1...256.
    public static var defaultLoopCount: Int { min(256, onlineCores) }
}
