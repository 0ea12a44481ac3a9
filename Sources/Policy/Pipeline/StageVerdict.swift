/// What a policy stage decides about an exchange. A plain value: stages
/// never perform I/O or call back into the driver.
public enum StageVerdict: Sendable {
    /// Go on to the next stage (or forward, after the last one).
    case proceed
    /// Answer the agent locally and forward nothing.
    case respond(LocalResponse)
    /// Park the exchange until `ticket` is resolved from any thread, or until
    /// `timeoutMs` passes, when `onTimeout` is sent (fail closed by default).
    case hold(HoldTicket, timeoutMs: Int, onTimeout: LocalResponse)
    /// Evaluate this stage again once the whole request body (at most
    /// `limit` bytes) is buffered. A larger body is refused with 413 and is
    /// never forwarded uninspected.
    case needBody(limit: Int)
}
