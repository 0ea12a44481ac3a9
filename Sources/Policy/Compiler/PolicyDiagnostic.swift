import GatehouseCore

/// One problem in a policy file, printed as `file:line:column: message`
/// (warnings: `file:line:column: warning: message`), the format
/// `gatehouse check` uses for configuration files. Problems without a
/// position (an unreadable file) use line 0, column 0.
public struct PolicyDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: DiagnosticSeverity
    public var message: String

    public init(file: String, line: Int, column: Int, severity: DiagnosticSeverity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    init(file: String, _ d: JSONDiagnostic) {
        self.init(file: file, line: d.location.line, column: d.location.column, severity: d.severity, message: d.message)
    }

    init(_ location: PolicySourceLocation, severity: DiagnosticSeverity = .error, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, severity: severity, message: message)
    }

    public var description: String {
        "\(file):\(line):\(column): \(severity == .warning ? "warning: " : "")\(message)"
    }
}

/// The result of compiling a policy set: the policy when there were no
/// errors, and every diagnostic (errors and warnings) ordered by file, then position.
public struct PolicyCompilation: Sendable {
    public var policy: CompiledPolicy?
    public var diagnostics: [PolicyDiagnostic]

    public var errors: [PolicyDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [PolicyDiagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Diagnostics as an error (a sample request that does not decode).
public struct PolicyDiagnostics: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [PolicyDiagnostic]
    public init(_ diagnostics: [PolicyDiagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
