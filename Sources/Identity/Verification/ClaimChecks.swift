import GatehouseCore

/// Validates the registered claims (RFC 7519 section 4.1, RFC 9068) of a
/// payload whose signature already verified, and maps the identity claims.
enum ClaimChecks {
    static func check(_ payload: JSONNode, settings: IssuerSettings, now: Int64) -> Result<VerifiedIdentity, TokenRejection> {
        let leeway = settings.leewaySeconds
        func time(_ name: String) -> Result<Int64?, TokenRejection> {
            guard let node = payload[name] else { return .success(nil) }
            guard case .number(let n) = node.value, let d = n.asDouble, d.isFinite, abs(d) < 1e15 else {
                return .failure(TokenRejection(.badClaim, "\"\(name)\" is not a NumericDate"))
            }
            return .success(Int64(d.rounded(.down)))
        }
        let exp: Int64, nbf: Int64?, iat: Int64?
        switch time("exp") {
        case .failure(let e): return .failure(e)
        case .success(nil): return .failure(TokenRejection(.missingExpiry, "the token has no \"exp\" claim"))
        case .success(let v?): exp = v
        }
        switch time("nbf") { case .failure(let e): return .failure(e); case .success(let v): nbf = v }
        switch time("iat") { case .failure(let e): return .failure(e); case .success(let v): iat = v }
        if now >= exp + leeway { return .failure(TokenRejection(.expired, "the token expired")) }
        if let nbf, nbf > now + leeway { return .failure(TokenRejection(.notYetValid, "the token is not valid yet (nbf)")) }
        if let iat, iat > now + leeway { return .failure(TokenRejection(.issuedInFuture, "the token was issued in the future (iat)")) }
        if let max = settings.maxLifetimeSeconds {
            // Without iat or nbf the lifetime cannot be measured from its
            // start: what is left of it must then be within the bound.
            let start = iat ?? nbf ?? now
            if exp - start > max {
                return .failure(TokenRejection(.lifetimeTooLong, "the token lives longer than the allowed \(max) s"))
            }
        }
        guard let iss = payload["iss"]?.stringValue, iss.utf8.elementsEqual(settings.issuer.utf8) else {
            return .failure(TokenRejection(.wrongIssuer, "the token's \"iss\" is not the expected issuer"))
        }
        switch audienceCheck(payload["aud"], accepted: settings.audiences) {
        case .failure(let e): return .failure(e)
        case .success: break
        }
        guard let subject = payload[settings.claims.subject]?.stringValue, !subject.isEmpty else {
            return .failure(TokenRejection(.missingSubject, "the token has no string \"\(settings.claims.subject)\" claim"))
        }
        var clientID: String?
        for name in settings.claims.clientID {
            if let v = payload[name] {
                guard let s = v.stringValue else { return .failure(TokenRejection(.badClaim, "\"\(name)\" is not a string")) }
                clientID = s
                break
            }
        }
        var groups: [String] = []
        if let g = settings.claims.groups, let node = payload[g] {
            guard let list = stringList(node) else {
                return .failure(TokenRejection(.badClaim, "\"\(g)\" is not a string or an array of strings"))
            }
            groups = list
        }
        var scopes: [String] = []
        for name in settings.claims.scopes {
            guard let node = payload[name] else { continue }
            if let s = node.stringValue {
                scopes = s.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            } else if let list = node.arrayValue {
                guard let strings = stringList(JSONNode(value: .array(list), location: node.location)) else {
                    return .failure(TokenRejection(.badClaim, "\"\(name)\" holds a non-string entry"))
                }
                scopes = strings
            } else {
                return .failure(TokenRejection(.badClaim, "\"\(name)\" is not a string or an array of strings"))
            }
            break
        }
        return .success(VerifiedIdentity(subject: subject, clientID: clientID, groups: groups, scopes: scopes,
                                         issuer: settings.issuer, expiresAt: exp))
    }

    /// `aud` is a string or an array of strings (any other entry rejects the
    /// token) and must contain one of `accepted`.
    static func audienceCheck(_ aud: JSONNode?, accepted: [String]) -> Result<Void, TokenRejection> {
        guard let aud else { return .failure(TokenRejection(.wrongAudience, "the token has no \"aud\" claim")) }
        let values: [String]
        if let s = aud.stringValue {
            values = [s]
        } else if let list = aud.arrayValue {
            var out: [String] = []
            for e in list {
                guard let s = e.stringValue else {
                    return .failure(TokenRejection(.wrongAudience, "\"aud\" holds a non-string entry"))
                }
                out.append(s)
            }
            values = out
        } else {
            return .failure(TokenRejection(.wrongAudience, "\"aud\" is not a string or an array of strings"))
        }
        // Byte-for-byte (Swift's String == compares canonical equivalence).
        guard values.contains(where: { v in accepted.contains { $0.utf8.elementsEqual(v.utf8) } }) else {
            return .failure(TokenRejection(.wrongAudience, "the token is not meant for this audience"))
        }
        return .success(())
    }

    /// A string as a one-element list, or an array of strings.
    static func stringList(_ node: JSONNode) -> [String]? {
        if let s = node.stringValue { return [s] }
        guard let list = node.arrayValue else { return nil }
        var out: [String] = []
        for e in list {
            guard let s = e.stringValue else { return nil }
            out.append(s)
        }
        return out
    }
}
