/// Forwarding-header handling (`"forwarded"`).
public struct ForwardedConfig: Sendable, Equatable {
    /// `"trust_incoming"`: when `false` (the default), incoming `Forwarded`
    /// and `X-Forwarded-*` headers are stripped and replaced with the
    /// gateway's own; when `true` the gateway appends to them.
    public var trustIncoming: Bool
    /// `"via"`: the pseudonym the gateway uses in `Via` (an HTTP token; default `gatehouse`).
    public var via: String

    /// Creates forwarding settings.
    public init(trustIncoming: Bool = false, via: String = "gatehouse") {
        self.trustIncoming = trustIncoming
        self.via = via
    }
}
