/// A context could not be built: a PEM file was missing, unreadable or
/// malformed, a key did not match its certificate, or OpenSSL refused a
/// setting. Carries the file involved (when there is one) so that a config
/// check or a reload can say exactly which file is wrong and why.
public struct TLSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file that failed to load, or nil for a setting.
    public var path: String?
    /// OpenSSL's reason (error-queue text), or ours.
    public var reason: String

    public init(path: String?, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        if let path { return "\(path): \(reason)" }
        return reason
    }
}
