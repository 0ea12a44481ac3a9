/// A position in a UTF-8 source document.
///
/// Both `line` and `column` are 1-based. Lines are separated by `\n`
/// (a `\r` before it is ordinary whitespace). Columns count Unicode scalars
/// (characters as an editor shows them), not bytes: `"é"` advances the
/// column by one even though it is two bytes of UTF-8. A tab counts as one
/// column. A leading UTF-8 byte order mark is skipped and not counted.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    /// Creates a location from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    /// Orders locations by line, then by column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
