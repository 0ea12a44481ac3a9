import Foundation
import Identity
import Synchronization
import TLS

/// A TEST-ONLY OpenID provider: serves `/.well-known/openid-configuration`
/// and `/jwks` over real sockets on 127.0.0.1 (ephemeral port), with keys
/// generated at test time by OpenSSL (RSA 2048, P-256, Ed25519 by default),
/// and signs tokens with them. Tests rotate keys, count fetches, set the
/// JWKS `Cache-Control`, and take the issuer down (connections are then
/// reset without an answer). Nothing here is a real credential.
public final class TestIssuer: @unchecked Sendable {
    /// One signing key and the `kid` it is published under.
    public struct Key: Sendable {
        public var kid: String
        public var algorithm: JWSAlgorithm
        public var signingKey: SigningKey

        public init(kid: String, algorithm: JWSAlgorithm, signingKey: SigningKey) {
            self.kid = kid
            self.algorithm = algorithm
            self.signingKey = signingKey
        }
    }

    private struct State {
        var keys: [Key] = []
        /// Extra raw JWK objects published as they are (bad or weak keys).
        var rawJWKs: [String] = []
        var down = false
        var cacheControl: String? = "max-age=300"
        var discoveryFetches = 0
        var jwksFetches = 0
    }

    private let state = Mutex(State())
    private var server: StubUpstream!

    /// `http://127.0.0.1:PORT` (no trailing slash).
    public var issuer: String { "http://127.0.0.1:\(server.port)" }
    public var jwksURI: String { issuer + "/jwks" }
    public var port: Int { server.port }

    /// Starts serving at once, with one key per algorithm in `algorithms`
    /// (kid `<alg>-1`, e.g. `RS256-1`).
    public init(algorithms: [JWSAlgorithm] = [.rs256, .es256, .edDSA]) throws {
        for alg in algorithms { _ = try addKey(alg, kid: "\(alg.rawValue)-1") }
        server = try StubUpstream { [unowned self] request, conn in try self.answer(request, conn) }
    }

    public func stop() { server.stop() }

    /// Generates and publishes a key for `alg` under `kid`.
    @discardableResult
    public func addKey(_ alg: JWSAlgorithm, kid: String) throws -> Key {
        let key = Key(kid: kid, algorithm: alg, signingKey: try Self.generate(for: alg))
        state.withLock { $0.keys.append(key) }
        return key
    }

    /// Stops publishing `kid`.
    public func removeKey(kid: String) { state.withLock { $0.keys.removeAll { $0.kid == kid } } }

    /// Publishes a raw JWK object as given (e.g. a short RSA key, garbage).
    public func addRawJWK(_ json: String) { state.withLock { $0.rawJWKs.append(json) } }

    /// The published key with `kid`.
    public func key(_ kid: String) -> Key? { state.withLock { s in s.keys.first { $0.kid == kid } } }

    /// While down, every connection is reset without an answer.
    public func setDown(_ down: Bool) { state.withLock { $0.down = down } }

    /// The JWKS response's `Cache-Control` (nil: none).
    public func setCacheControl(_ value: String?) { state.withLock { $0.cacheControl = value } }

    public var discoveryFetches: Int { state.withLock { $0.discoveryFetches } }
    public var jwksFetches: Int { state.withLock { $0.jwksFetches } }

    // MARK: tokens

    /// A signed compact JWT with the given header and payload JSON text
    /// (used verbatim, so tests can send duplicate keys or odd values).
    public static func token(headerJSON: String, payloadJSON: String, key: SigningKey, algorithm: JWSAlgorithm) throws -> String {
        let input = Base64URL.encode(Array(headerJSON.utf8)) + "." + Base64URL.encode(Array(payloadJSON.utf8))
        let sig = try key.sign(Array(input.utf8), algorithm: algorithm.signature)
        return input + "." + Base64URL.encode(sig)
    }

    /// A token signed with the key `kid`, header `{"alg":…,"kid":…,"typ":"at+jwt"}`.
    public func token(kid: String, payloadJSON: String) throws -> String {
        guard let key = key(kid) else { throw CryptoError("no test key \(kid)") }
        let header = "{\"alg\":\"\(key.algorithm.rawValue)\",\"kid\":\"\(kid)\",\"typ\":\"at+jwt\"}"
        return try Self.token(headerJSON: header, payloadJSON: payloadJSON, key: key.signingKey, algorithm: key.algorithm)
    }

    /// Standard claims for this issuer: `iss`, `aud`, `sub`, `iat` = now,
    /// `exp` = now + `lifetime`, plus `extra` JSON members (`"k":v,…`).
    public func claims(audience: String = "gatehouse", subject: String = "agent-1", now: Int64 = Int64(Date().timeIntervalSince1970),
                       lifetime: Int64 = 300, extra: String = "") -> String {
        var s = "{\"iss\":\"\(issuer)\",\"aud\":\"\(audience)\",\"sub\":\"\(subject)\",\"iat\":\(now),\"exp\":\(now + lifetime)"
        if !extra.isEmpty { s += "," + extra }
        return s + "}"
    }

    // MARK: serving

    private func answer(_ request: TestMessage, _ conn: StubConnection) throws {
        let snapshot = state.withLock { s -> State in
            if !s.down {
                if request.target.hasPrefix("/.well-known/openid-configuration") { s.discoveryFetches += 1 }
                if request.target.hasPrefix("/jwks") { s.jwksFetches += 1 }
            }
            return s
        }
        if snapshot.down { conn.reset(); return }
        switch request.target {
        case "/.well-known/openid-configuration":
            let body = "{\"issuer\":\"\(issuer)\",\"jwks_uri\":\"\(jwksURI)\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}"
            try conn.respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        case "/jwks":
            var entries = try snapshot.keys.map { try Self.jwk($0) }
            entries += snapshot.rawJWKs
            let body = "{\"keys\":[" + entries.joined(separator: ",") + "]}"
            var headers = [("Content-Type", "application/json")]
            if let cc = snapshot.cacheControl { headers.append(("Cache-Control", cc)) }
            try conn.respond(status: 200, headers: headers, body: Array(body.utf8))
        default:
            try conn.respond(status: 404, reason: "Not Found", body: Array("{}".utf8))
        }
    }

    /// The public JWK JSON for `key`.
    public static func jwk(_ key: Key) throws -> String {
        let head = "\"kid\":\"\(key.kid)\",\"alg\":\"\(key.algorithm.rawValue)\",\"use\":\"sig\""
        switch try key.signingKey.publicParameters() {
        case .rsa(let n, let e):
            return "{\"kty\":\"RSA\",\(head),\"n\":\"\(Base64URL.encode(n))\",\"e\":\"\(Base64URL.encode(e))\"}"
        case .ec(let curve, let x, let y):
            return "{\"kty\":\"EC\",\(head),\"crv\":\"\(curve.rawValue)\",\"x\":\"\(Base64URL.encode(x))\",\"y\":\"\(Base64URL.encode(y))\"}"
        case .ed25519(let x):
            return "{\"kty\":\"OKP\",\(head),\"crv\":\"Ed25519\",\"x\":\"\(Base64URL.encode(x))\"}"
        }
    }

    /// A new key that can sign with `alg`.
    public static func generate(for alg: JWSAlgorithm) throws -> SigningKey {
        switch alg.signature {
        case .rsaPKCS1, .rsaPSS: try SigningKey.generateRSA(bits: 2048)
        case .ecdsa(let c): try SigningKey.generateEC(c)
        case .ed25519: try SigningKey.generateEd25519()
        }
    }
}
