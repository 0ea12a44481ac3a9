/// How serious a diagnostic is. Errors make a document invalid; warnings do not.
public enum DiagnosticSeverity: String, Sendable, Hashable {
    case error
    case warning
}

/// A problem found while decoding a JSON document into a model, located in
/// the document.
public struct JSONDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Error or warning.
    public var severity: DiagnosticSeverity
    /// Where the problem is.
    public var location: SourceLocation
    /// Explanation without location or severity prefix.
    public var message: String

    /// Creates a diagnostic.
    public init(severity: DiagnosticSeverity, location: SourceLocation, message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `line:column: message`, with `warning: ` before the message for warnings.
    public var description: String {
        "\(location): \(severity == .warning ? "warning: " : "")\(message)"
    }
}

/// Collects diagnostics while a decoder walks a document, so that every
/// problem is reported rather than only the first.
///
/// A reference type so that nested ``ObjectReader``s can share one sink.
/// It is meant to live for one decoding pass on one task and is deliberately
/// not `Sendable`.
public final class JSONDiagnosticSink {
    /// Everything recorded so far, in the order it was recorded.
    public private(set) var diagnostics: [JSONDiagnostic] = []

    /// Creates an empty sink.
    public init() {}

    /// Records an error.
    public func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(JSONDiagnostic(severity: .error, location: location, message: message))
    }

    /// Records a warning.
    public func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(JSONDiagnostic(severity: .warning, location: location, message: message))
    }

    /// `true` once any error has been recorded.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The diagnostics ordered by location (stable for equal locations).
    public var sortedDiagnostics: [JSONDiagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }
}
