// identity-bench: the cost of verifying bearer JWTs, without the gateway.
//
// - verify: `TokenVerifier.verify` on one thread (split, base64url, JSON
//   header and payload, key lookup, OpenSSL signature check, claims) for
//   RS256 (2048-bit), ES256 and EdDSA tokens of realistic size;
// - signature only: `PublicKey.verify` on the same inputs;
// - cache hit: what `IdentityStage` does for a token it verified before on
//   this thread: bearer extraction, SHA-256 of the token, LRU lookup,
//   attribute writes and header rewriting (`IdentityStage.evaluate`).
//
// Keys are generated at start; the JWKS is handed over in process (no
// sockets). Usage: swift run -c release identity-bench [--seconds 2]
import Foundation
import HTTP1
import Identity
import Policy
import TLS

let seconds: Double = {
    if let i = CommandLine.arguments.firstIndex(of: "--seconds"), i + 1 < CommandLine.arguments.count {
        return Double(CommandLine.arguments[i + 1]) ?? 2.0
    }
    return 2.0
}()

/// Hands a fixed JWKS to `IssuerKeys` at once.
final class InProcessFetcher: DocumentFetcher, @unchecked Sendable {
    let body: [UInt8]
    init(_ body: [UInt8]) { self.body = body }
    func fetch(_ url: String, timeoutMs: Int, completion: @escaping @Sendable (Result<FetchedDocument, FetchError>) -> Void) {
        completion(.success(FetchedDocument(status: 200, cacheControl: "max-age=3600", body: body)))
    }
}

func jwk(_ kid: String, _ alg: JWSAlgorithm, _ key: SigningKey) throws -> String {
    let head = "\"kid\":\"\(kid)\",\"alg\":\"\(alg.rawValue)\""
    switch try key.publicParameters() {
    case .rsa(let n, let e): return "{\"kty\":\"RSA\",\(head),\"n\":\"\(Base64URL.encode(n))\",\"e\":\"\(Base64URL.encode(e))\"}"
    case .ec(let c, let x, let y):
        return "{\"kty\":\"EC\",\(head),\"crv\":\"\(c.rawValue)\",\"x\":\"\(Base64URL.encode(x))\",\"y\":\"\(Base64URL.encode(y))\"}"
    case .ed25519(let x): return "{\"kty\":\"OKP\",\(head),\"crv\":\"Ed25519\",\"x\":\"\(Base64URL.encode(x))\"}"
    }
}

let issuer = "https://id.example.com/realms/agents"
let now = Int64(Date().timeIntervalSince1970)
let payload = "{\"iss\":\"\(issuer)\",\"aud\":[\"gatehouse\",\"account\"],\"sub\":\"5f0c8a52-6a8e-4d6b-9c57-1f3f2b7b8e11\","
    + "\"azp\":\"agent-cli\",\"scope\":\"openid profile tickets.read tickets.write\",\"groups\":[\"ops\",\"support\"],"
    + "\"iat\":\(now),\"exp\":\(now + 3600),\"jti\":\"b7d1e0f2-3c4a-4e5f-8a9b-0c1d2e3f4a5b\"}"

var keys: [(String, JWSAlgorithm, SigningKey)] = [
    ("rsa", .rs256, try SigningKey.generateRSA(bits: 2048)),
    ("p256", .es256, try SigningKey.generateEC(.p256)),
    ("ed", .edDSA, try SigningKey.generateEd25519()),
]
let jwks = "{\"keys\":[" + (try keys.map { try jwk($0.0, $0.1, $0.2) }).joined(separator: ",") + "]}"
let fetcher = InProcessFetcher(Array(jwks.utf8))
let settings = IssuerSettings(name: "bench", issuer: issuer, audiences: ["gatehouse"])
let issuerKeys = IssuerKeys(issuer: issuer, jwksURI: "https://id.example.com/keys", fetcher: fetcher)
let verifier = TokenVerifier(settings: settings, keys: issuerKeys)
issuerKeys.tick()  // the in-process fetch completes inline: keys are loaded after this
precondition(issuerKeys.currentKeys?.keys.count == 3, "JWKS not loaded")

func token(_ kid: String, _ alg: JWSAlgorithm, _ key: SigningKey) throws -> String {
    let input = Base64URL.encode(Array("{\"alg\":\"\(alg.rawValue)\",\"kid\":\"\(kid)\",\"typ\":\"at+jwt\"}".utf8)) + "."
        + Base64URL.encode(Array(payload.utf8))
    return input + "." + Base64URL.encode(try key.sign(Array(input.utf8), algorithm: alg.signature))
}

/// Runs `body` in batches until `seconds` passed; returns operations per second.
func rate(seconds: Double = seconds, _ body: () -> Bool) -> Double {
    var ops = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let limit = UInt64(seconds * 1e9)
    for _ in 0..<100_000_000 {
        for _ in 0..<100 { precondition(body(), "an operation failed") }
        ops += 100
        if DispatchTime.now().uptimeNanoseconds - start >= limit { break }
    }
    return Double(ops) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

print("identity-bench: one thread, \(seconds) s per measurement")
for (kid, alg, key) in keys {
    let t = try token(kid, alg, key)
    let bytes = Array(t.utf8)
    guard case .verified = verifier.verify(bytes, now: now) else { fatalError("\(alg) token did not verify") }
    let full = rate { if case .verified = verifier.verify(bytes, now: now) { return true }; return false }
    let pub = try key.publicKey()
    let parts = t.split(separator: ".")
    let input = Array(t.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
    let sig = Base64URL.decode(String(parts[2]))!
    let sigOnly = rate { pub.verify(signature: sig, message: input, algorithm: alg.signature) }
    print(String(format: "%-6@ token %4d B  verify (full): %8.0f /s  signature only: %8.0f /s", alg.rawValue, bytes.count, full, sigOnly))
}

// Cache hit through the stage.
let stage = IdentityStage(verifiers: ["bench": verifier],
                          routes: ["api": RouteIdentity(mode: .required, issuers: ["bench"],
                                                        requiredScopes: ["tickets.read"],
                                                        forwardHeaders: .init(subject: "X-Gatehouse-Subject"))],
                          wallClock: { now })
let rsToken = try token("rsa", .rs256, keys[0].2)
var headers = HTTPHeaders()
headers.append(name: "Host", value: "gw.example.com")
headers.append(name: "Authorization", value: "Bearer \(rsToken)")
headers.append(name: "Accept", value: "application/json")
let context = ExchangeContext(requestID: "0123456789abcdef0123456789abcdef", routeName: "api", clientAddress: "127.0.0.1:5000",
                              head: RequestHead(method: "GET", target: "/api/tickets/42", headers: headers))
var warm = context
guard case .proceed = stage.evaluate(&warm) else { fatalError("stage refused the token") }
let hits = rate {
    var c = context
    if case .proceed = stage.evaluate(&c) { return true }
    return false
}
print(String(format: "cache hit (IdentityStage.evaluate, %d-byte RS256 token): %.2f µs", rsToken.utf8.count, 1e6 / hits))
let tokenBytes = Array(rsToken.utf8)
let digestOnly = rate { SHA256.hash(tokenBytes).count == 32 }
print(String(format: "  SHA-256 of the token alone: %.2f µs", 1e6 / digestOnly))
let cache = VerifiedTokenCache(capacity: 10_000)
let verified = VerifiedIdentity(subject: "s", clientID: "c", groups: ["ops"], scopes: ["tickets.read"], issuer: issuer,
                                expiresAt: now + 3600)
cache.insert(digest: VerifiedTokenCache.key(for: tokenBytes), identity: verified, issuerName: "bench")
let lookups = rate { cache.lookup(digest: VerifiedTokenCache.key(for: tokenBytes), now: now) != nil }
print(String(format: "  SHA-256 + LRU lookup: %.2f µs", 1e6 / lookups))
// What the stage's edits cost on their own in this harness: copying the
// shared context (copy-on-write of the head) and the same header edits.
let baseline = rate {
    var c = context
    c.head.headers.removeAll("authorization")
    c.head.headers.removeAll("x-gatehouse-subject")
    c.head.headers.append(name: "X-Gatehouse-Subject", value: "5f0c8a52-6a8e-4d6b-9c57-1f3f2b7b8e11")
    verified.write(into: &c.attributes)
    return c.head.headers.count == 3
}
print(String(format: "  context copy + the same header and attribute edits without identity: %.2f µs", 1e6 / baseline))
