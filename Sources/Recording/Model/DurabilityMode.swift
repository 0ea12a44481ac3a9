/// How an exchange's records are made durable. Chosen per route.
public enum DurabilityMode: String, Sendable, CaseIterable {
    /// The proxy waits for each record's completion (committed with
    /// `synchronous=FULL`) before forwarding the request, and before releasing
    /// the response's last byte; a store failure refuses the exchange with
    /// 503 `audit_unavailable`. The default.
    case strict
    /// The proxy does not wait. Records still queued when the process dies,
    /// or refused because the queue was full, are lost; with
    /// `synchronous=NORMAL` the last commits before a power loss may be lost.
    case async
}
