/// Why a rule that needs the request body could not inspect it. The
/// evaluator turns it into a deny (fail closed); the codes are stable and
/// listed in Docs/ERRORS.md and Docs/POLICY.md.
public enum BodyProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body was not buffered, is compressed (`Content-Encoding` other
    /// than `identity`), or the pattern engine could not finish the scan.
    case uninspectable(String)
    /// A rule needs JSON and the body is not valid JSON (or nests deeper than 64).
    case malformed(String)
    /// The body is larger than the inspection bound.
    case tooLarge(limit: Int)

    public var code: String {
        switch self {
        case .uninspectable: "body_uninspectable"
        case .malformed: "body_malformed"
        case .tooLarge: "body_too_large"
        }
    }

    public var status: Int {
        switch self {
        case .uninspectable: 415
        case .malformed: 400
        case .tooLarge: 413
        }
    }

    public var description: String {
        switch self {
        case .uninspectable(let why): "the body cannot be inspected: \(why)"
        case .malformed(let why): "the body is not valid JSON: \(why)"
        case .tooLarge(let limit): "the body exceeds the inspection limit of \(limit) bytes"
        }
    }

    /// The local response that refuses the request.
    public var response: LocalResponse {
        LocalResponse(status: status, code: code, message: description)
    }
}
