/// One expression handed to the pattern engine: the caller's `id` (reported
/// back in compile errors), the expression in Hyperscan's PCRE subset, and
/// its flags. Built-in detectors and custom policy patterns both become specs.
public struct PatternSpec: Sendable, Hashable {
    public var id: String
    public var expression: String
    public var flags: PatternFlags

    public init(id: String, expression: String, flags: PatternFlags = [.leftmostStart]) {
        self.id = id
        self.expression = expression
        self.flags = flags
    }
}

/// Compile flags for a pattern, a Swift view of the `HS_FLAG_*` values.
///
/// `leftmostStart` (HS_FLAG_SOM_LEFTMOST) makes the engine report where a
/// match starts; without it only the end offset is exact and `start` is 0,
/// so validators must re-anchor from the end. Built-in detectors use it.
public struct PatternFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let caseless = PatternFlags(rawValue: 1 << 0)
    public static let dotAll = PatternFlags(rawValue: 1 << 1)
    public static let multiline = PatternFlags(rawValue: 1 << 2)
    public static let singleMatch = PatternFlags(rawValue: 1 << 3)
    public static let utf8 = PatternFlags(rawValue: 1 << 4)
    public static let unicodeProperties = PatternFlags(rawValue: 1 << 5)
    public static let leftmostStart = PatternFlags(rawValue: 1 << 6)
}

/// A candidate reported by the engine: which spec (its index in the list the
/// database was compiled from) and the byte range in the scanned buffer.
/// Candidates are unvalidated: detectors confirm or drop them.
public struct PatternMatch: Sendable, Hashable {
    public var pattern: Int
    public var start: Int
    public var end: Int

    public init(pattern: Int, start: Int, end: Int) {
        self.pattern = pattern
        self.start = start
        self.end = end
    }
}

/// Why a pattern set did not compile or a scan did not complete.
public enum PatternEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Hyperscan rejected an expression; `id` is the spec's id (empty when
    /// hs did not blame a single expression) and `message` is hs's text.
    case compile(id: String, index: Int, message: String)
    /// hs could not allocate or clone scratch space (hs error code).
    case scratch(code: Int32)
    /// The scan failed inside hs (hs error code), e.g. a buffer over 4 GiB.
    case scan(code: Int32)
    /// More candidates than the configured cap: the caller must treat the
    /// buffer as not inspected (fail closed), never as clean.
    case tooManyMatches(limit: Int)
    /// No scan entry point of the installed Hyperscan library passed the
    /// self-test (`HyperscanRuntime`): it misses matches on this CPU, so
    /// nothing may be inspected with it.
    case runtimeUnreliable(String)

    public var description: String {
        switch self {
        case let .compile(id, index, message):
            return id.isEmpty ? "pattern set: \(message)" : "pattern \(id) (#\(index)): \(message)"
        case let .scratch(code): return "hs scratch allocation failed (\(code))"
        case let .scan(code): return "hs scan failed (\(code))"
        case let .tooManyMatches(limit): return "more than \(limit) pattern matches"
        case let .runtimeUnreliable(detail): return "the Hyperscan library cannot be trusted on this CPU: \(detail)"
        }
    }
}
