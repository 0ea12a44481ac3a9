import GatehouseCore

/// Verifies bearer JWTs for one issuer: header rules, signature with the
/// issuer's keys, then claims (RFC 8725 order: nothing in the payload is
/// trusted before the signature checks out).
public struct TokenVerifier: Sendable {
    public enum Outcome: Sendable {
        case verified(VerifiedIdentity)
        case rejected(TokenRejection)
        /// A key fetch that may bring the key is running; ask again after it.
        case pending
        /// No key is known for the issuer and none can be fetched now.
        case unavailable
    }

    public let settings: IssuerSettings
    public let keys: IssuerKeys

    /// Keys tried for a token without `kid`, at most.
    static let maxKeysWithoutKid = 4

    public init(settings: IssuerSettings, keys: IssuerKeys) {
        self.settings = settings
        self.keys = keys
    }

    /// Verifies a token given as bytes; `now` is Unix time in seconds.
    public func verify(_ token: [UInt8], now: Int64) -> Outcome {
        switch CompactJWS.parse(token) {
        case .failure(let r): return .rejected(r)
        case .success(let jws): return verify(jws, now: now)
        }
    }

    /// Verifies an already split token.
    public func verify(_ jws: CompactJWS, now: Int64) -> Outcome {
        let header: JOSEHeader
        switch JOSEHeader.check(jws.header, allowed: settings.algorithms, requiredType: settings.requiredType) {
        case .failure(let r): return .rejected(r)
        case .success(let h): header = h
        }
        let candidates: [JSONWebKey]
        switch keys.lookup(kid: header.keyID, alg: header.algorithm) {
        case .pending: return .pending
        case .unavailable: return .unavailable
        case .unknownKid:
            return .rejected(TokenRejection(.unknownKey, "the token's key ID is not among the issuer's keys"))
        case .keys(let k): candidates = header.keyID == nil ? Array(k.prefix(Self.maxKeysWithoutKid)) : k
        }
        if candidates.isEmpty {
            return .rejected(TokenRejection(.unknownKey, "no key of the issuer fits algorithm \(header.algorithm.rawValue)"))
        }
        let ok = jws.signingInput.withUnsafeBytes { input in
            candidates.contains { $0.key.verify(signature: jws.signature, message: input, algorithm: header.algorithm.signature) }
        }
        guard ok else { return .rejected(TokenRejection(.badSignature, "the token signature does not verify")) }
        switch ClaimChecks.check(jws.payload, settings: settings, now: now) {
        case .failure(let r): return .rejected(r)
        case .success(let id): return .verified(id)
        }
    }
}
