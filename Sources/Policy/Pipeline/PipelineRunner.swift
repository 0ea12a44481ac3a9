/// The cursor through an exchange's request stages, as a pure state machine
/// (nginx's `phase_handler`): the driver feeds it verdicts and I/O outcomes
/// and performs the action it returns. A held exchange resumes at the same
/// stage; a body requested by a stage is handed back to that same stage.
public struct PipelineRunner: Sendable {
    public enum Action: Sendable, Equatable {
        /// Call `stages[index].evaluate` and feed the verdict back.
        case evaluate(stage: Int)
        /// Every stage proceeded: forward upstream.
        case forward
        /// Send this local response; forward nothing.
        case respond(LocalResponse, outcome: Outcome)
        /// Stop reading from the client, arm a deadline, wait for the ticket.
        case hold(timeoutMs: Int)
        /// Buffer the whole request body, at most `limit` bytes.
        case readBody(limit: Int)
        /// The client went away while held; record it as abandoned.
        case abandon
    }

    /// Why a local response was produced, for logs and recordings.
    public enum Outcome: String, Sendable, Equatable {
        case denied, holdExpired = "hold_expired", bodyTooLarge = "body_too_large", pipelineError = "pipeline_error"
    }

    public enum Event: Sendable {
        case verdict(StageVerdict)
        /// The body is buffered in full; `size` bytes.
        case bodyBufferedSize(Int)
        case bodyTooLarge
        case holdResolved(StageVerdict)
        case holdExpired
        case clientGone
    }

    public enum Phase: Sendable, Equatable { case idle, evaluating, held, readingBody, done }

    public let stageCount: Int
    public private(set) var cursor = 0
    public private(set) var phase = Phase.idle
    private var holdTimeoutResponse: LocalResponse?
    /// The current hold's ticket asked for re-evaluation on `.proceed`.
    private var holdReevaluates = false
    /// The stage last re-evaluated after such a hold; it may not hold that
    /// way again (no unbounded wait loops).
    private var reevaluatedStage = -1
    /// Size of the buffered body once read; nil before any stage asked.
    private var bufferedBodyBytes: Int?
    /// The stage that last received the buffered body.
    private var bodyGivenToStage = -1

    public init(stageCount: Int) { self.stageCount = stageCount }

    /// Starts at the first stage.
    public mutating func start() -> Action {
        cursor = 0
        return advance()
    }

    private mutating func advance() -> Action {
        if cursor >= stageCount { phase = .done; return .forward }
        phase = .evaluating
        return .evaluate(stage: cursor)
    }

    /// Takes `event` (a verdict moves through without a copy).
    public mutating func event(_ event: consuming Event) -> Action {
        switch (phase, consume event) {
        case (.held, .holdResolved(.proceed)) where holdReevaluates:
            holdReevaluates = false
            reevaluatedStage = cursor
            phase = .evaluating
            return .evaluate(stage: cursor)
        case (.evaluating, .verdict(let v)), (.held, .holdResolved(let v)):
            return apply(v)
        case (.readingBody, .bodyBufferedSize(let size)):
            bufferedBodyBytes = size
            bodyGivenToStage = cursor
            phase = .evaluating
            return .evaluate(stage: cursor)
        case (.readingBody, .bodyTooLarge):
            phase = .done
            return .respond(LocalResponse(status: 413, code: "body_too_large",
                                          message: "request body exceeds the inspection limit"), outcome: .bodyTooLarge)
        case (.held, .holdExpired):
            phase = .done
            let r = holdTimeoutResponse ?? LocalResponse(status: 503, code: "hold_expired",
                                                         message: "the held request was not approved in time")
            return .respond(r, outcome: .holdExpired)
        case (.held, .clientGone), (.readingBody, .clientGone), (.evaluating, .clientGone):
            phase = .done
            return .abandon
        default:
            phase = .done
            return .respond(LocalResponse(status: 500, code: "pipeline_error",
                                          message: "the policy pipeline reached an invalid state"), outcome: .pipelineError)
        }
    }

    private mutating func apply(_ verdict: consuming StageVerdict) -> Action {
        switch verdict {
        case .proceed:
            cursor += 1
            return advance()
        case .respond(let r):
            phase = .done
            return .respond(r, outcome: .denied)
        case .hold(let ticket, let timeoutMs, let onTimeout):
            if ticket.reevaluatesOnProceed && reevaluatedStage == cursor {
                phase = .done
                return .respond(onTimeout, outcome: .holdExpired)
            }
            holdReevaluates = ticket.reevaluatesOnProceed
            phase = .held
            holdTimeoutResponse = onTimeout
            return .hold(timeoutMs: timeoutMs)
        case .needBody(let limit):
            if let size = bufferedBodyBytes {
                if bodyGivenToStage == cursor {
                    // This stage already had the body; asking again cannot make progress. Fail closed.
                    phase = .done
                    return .respond(LocalResponse(status: 500, code: "pipeline_error",
                                                  message: "a stage asked for the body twice"), outcome: .pipelineError)
                }
                if size > limit {
                    phase = .done
                    return .respond(LocalResponse(status: 413, code: "body_too_large",
                                                  message: "request body exceeds the inspection limit"), outcome: .bodyTooLarge)
                }
                bodyGivenToStage = cursor
                return .evaluate(stage: cursor)
            }
            phase = .readingBody
            return .readBody(limit: limit)
        }
    }

    /// Whether some stage asked for (and got) the whole body.
    public var hasBufferedBody: Bool { bufferedBodyBytes != nil }
}
