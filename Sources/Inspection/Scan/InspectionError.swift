/// Why a body could not be inspected. Callers must refuse the body (fail
/// closed), never pass it on unscanned.
public enum InspectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not valid JSON; `offset` is the raw byte offset.
    case malformedJSON(offset: Int, reason: String)
    /// The pattern engine failed (see `PatternEngineError`).
    case engine(PatternEngineError)

    public var description: String {
        switch self {
        case let .malformedJSON(offset, reason): "malformed JSON at byte \(offset): \(reason)"
        case let .engine(e): e.description
        }
    }
}
