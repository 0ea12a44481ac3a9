#if canImport(Glibc)
import Glibc
#endif

/// A failed system call, carrying where it came from: the call's name, errno,
/// and an optional note (a path, an address). Thrown by every wrapper around
/// a POSIX call so logs say exactly which syscall failed and why.
public struct SystemError: Error, Sendable, CustomStringConvertible, Equatable {
    public var syscall: String
    public var errno: Int32
    public var note: String

    public init(_ syscall: String, errno: Int32 = Glibc.errno, note: String = "") {
        self.syscall = syscall
        self.errno = errno
        self.note = note
    }

    /// The C library's text for `errno`.
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String {
        let base = "\(syscall): \(reason) (errno \(errno))"
        return note.isEmpty ? base : "\(base) [\(note)]"
    }
}
