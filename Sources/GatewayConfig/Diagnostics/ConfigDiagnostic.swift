import GatehouseCore

/// One problem in a configuration file, printed as `file:line:column: message`.
///
/// Lines and columns are 1-based and columns count characters (Unicode
/// scalars). Problems that have no position in the file (e.g. it cannot be
/// read) use line 0 and column 0.
public struct ConfigDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// Error or warning (``DiagnosticSeverity`` from GatehouseCore).
    public typealias Severity = DiagnosticSeverity

    /// The configuration file path, as given to the loader.
    public var file: String
    /// 1-based line, or 0.
    public var line: Int
    /// 1-based column in characters, or 0.
    public var column: Int
    /// Error or warning.
    public var severity: Severity
    /// The explanation, without position or severity.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// Creates a diagnostic from a decoding diagnostic in `file`.
    public init(file: String, _ diagnostic: JSONDiagnostic) {
        self.init(file: file, line: diagnostic.location.line, column: diagnostic.location.column,
                  severity: diagnostic.severity, message: diagnostic.message)
    }

    /// `file:line:column: message`; warnings read `file:line:column: warning: message`.
    public var description: String {
        "\(file):\(line):\(column): \(severity == .warning ? "warning: " : "")\(message)"
    }
}

/// Why a configuration could not be loaded: every error found (and any
/// warnings), ordered by position.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// All diagnostics; at least one has severity `.error`.
    public var diagnostics: [ConfigDiagnostic]

    /// Creates the error.
    public init(diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
