import GatehouseCore

/// Loads and validates Gatehouse configuration files. See Docs/CONFIG.md.
///
/// All problems are collected and returned together, ordered by position,
/// except JSON syntax errors: the first one stops parsing.
public enum ConfigLoader {
    /// Reads, parses and validates the file at `path`. A file that cannot be
    /// read yields one diagnostic at line 0, column 0:
    /// `cannot read file: <errno text>`.
    public static func load(path: String) -> Result<GatehouseConfig, ConfigErrors> {
        switch FileReader.readAll(path: path) {
        case .success(let bytes):
            return parse(bytes: bytes, path: path)
        case .failure(let problem):
            return .failure(ConfigErrors(diagnostics: [
                ConfigDiagnostic(file: path, line: 0, column: 0, message: "cannot read file: \(problem.message)"),
            ]))
        }
    }

    /// Parses and validates configuration `bytes`; `path` is used in diagnostics.
    public static func parse(bytes: [UInt8], path: String) -> Result<GatehouseConfig, ConfigErrors> {
        parse(bytes: bytes, path: path, defaultLoops: SystemInfo.defaultLoopCount)
    }

    static func parse(bytes: [UInt8], path: String, defaultLoops: Int) -> Result<GatehouseConfig, ConfigErrors> {
        func fail(_ location: SourceLocation, _ message: String) -> Result<GatehouseConfig, ConfigErrors> {
            .failure(ConfigErrors(diagnostics: [
                ConfigDiagnostic(file: path, line: location.line, column: location.column, message: message),
            ]))
        }
        if isBlank(bytes) {
            return fail(SourceLocation(line: 1, column: 1), "configuration file is empty; expected a JSON object")
        }
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            return fail(error.location, error.message)
        }
        let sink = JSONDiagnosticSink()
        let decoder = ConfigDecoder(sink: sink, sourcePath: path, defaultLoops: defaultLoops)
        let config = decoder.decode(root)
        let diagnostics = sink.sortedDiagnostics.map { ConfigDiagnostic(file: path, $0) }
        guard !sink.hasErrors, var config else {
            return .failure(ConfigErrors(diagnostics: diagnostics))
        }
        config.warnings = diagnostics
        return .success(config)
    }

    /// Only whitespace (and possibly a byte order mark).
    private static func isBlank(_ bytes: [UInt8]) -> Bool {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}
