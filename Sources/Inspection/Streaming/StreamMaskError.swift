/// Why a streamed body could not be masked. The caller refuses the
/// response (before the first byte) or cuts the stream (after): bytes the
/// masker has not released are never sent.
public enum StreamMaskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not valid JSON (or a JSON number or key is unreasonably long).
    case malformedJSON(String)
    /// More than `limit` bytes would have to be held back (a secret or an
    /// SSE event that keeps growing, or values that never leave the window).
    case heldTooLong(limit: Int)
    /// A finding starts in text that was already released: a secret longer
    /// than the look-behind window that was not recognisable in time.
    case secretExceedsWindow(label: String, window: Int)
    /// The pattern engine failed (including too many candidates).
    case engine(PatternEngineError)

    public var description: String {
        switch self {
        case .malformedJSON(let why): "the response body is not valid JSON: \(why)"
        case .heldTooLong(let limit): "masking would hold back more than \(limit) bytes of the response"
        case .secretExceedsWindow(let label, let window):
            "a \(label) finding is longer than the \(window)-byte masking window"
        case .engine(let e): "the pattern engine failed: \(e)"
        }
    }
}
