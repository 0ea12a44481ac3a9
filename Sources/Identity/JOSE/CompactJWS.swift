import GatehouseCore

/// A JWS in compact serialization, split and decoded but not yet verified:
/// `header.payload.signature`, each part strict base64url, header and
/// payload JSON objects parsed with the project's parser (duplicate keys
/// rejected). The size limit is checked before anything is decoded.
public struct CompactJWS: Sendable {
    /// Largest token accepted, in bytes (checked before parsing).
    public static let maxTokenBytes = 8192

    public let header: JSONNode
    public let payload: JSONNode
    public let signature: [UInt8]
    /// `header.payload` exactly as received: what the signature covers.
    public let signingInput: ArraySlice<UInt8>

    /// Splits and decodes `token`, or says why it cannot be a JWS.
    public static func parse(_ token: [UInt8]) -> Result<CompactJWS, TokenRejection> {
        guard token.count <= maxTokenBytes else {
            return .failure(TokenRejection(.tokenTooLarge, "the token is larger than \(maxTokenBytes) bytes"))
        }
        var dots: [Int] = []
        for (i, b) in token.enumerated() where b == UInt8(ascii: ".") {
            dots.append(i)
            if dots.count > 2 { break }
        }
        guard dots.count == 2 else {
            return .failure(TokenRejection(.malformed, "a JWT has exactly three dot-separated parts"))
        }
        let h = token[..<dots[0]], p = token[(dots[0] + 1)..<dots[1]], s = token[(dots[1] + 1)...]
        guard !h.isEmpty, !p.isEmpty, !s.isEmpty else {
            return .failure(TokenRejection(.malformed, "a JWT part is empty"))
        }
        guard let hb = Base64URL.decode(h), let pb = Base64URL.decode(p), let sb = Base64URL.decode(s) else {
            return .failure(TokenRejection(.malformed, "a JWT part is not unpadded base64url"))
        }
        let header: JSONNode, payload: JSONNode
        do {
            header = try JSONParser.parse(hb)
        } catch {
            return .failure(TokenRejection(.malformed, "the JWT header is not valid JSON: \(error.message)"))
        }
        do {
            payload = try JSONParser.parse(pb)
        } catch {
            return .failure(TokenRejection(.malformed, "the JWT payload is not valid JSON: \(error.message)"))
        }
        guard header.objectValue != nil else { return .failure(TokenRejection(.malformed, "the JWT header is not an object")) }
        guard payload.objectValue != nil else { return .failure(TokenRejection(.malformed, "the JWT payload is not an object")) }
        return .success(CompactJWS(header: header, payload: payload, signature: sb, signingInput: token[..<dots[1]]))
    }
}
