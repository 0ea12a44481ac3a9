import XCTest
import Foundation
import Identity
import TLS
import GatehouseTestSupport

/// Every rejection the identity issue lists, against a real test issuer
/// (discovery and JWKS over sockets on 127.0.0.1).
final class TokenVerifierTests: XCTestCase {
    nonisolated(unsafe) static var issuer: TestIssuer!
    var issuer: TestIssuer { Self.issuer }

    override class func setUp() {
        super.setUp()
        issuer = try! TestIssuer(algorithms: [.rs256, .es256, .edDSA, .ps256])
    }

    override class func tearDown() {
        issuer.stop()
        super.tearDown()
    }

    private func token(_ kid: String = "RS256-1", _ payload: String? = nil) throws -> String {
        try issuer.token(kid: kid, payloadJSON: payload ?? issuer.claims())
    }

    private func raw(header: String, payload: String? = nil, kid: String = "RS256-1", alg: JWSAlgorithm = .rs256) throws -> String {
        try TestIssuer.token(headerJSON: header, payloadJSON: payload ?? issuer.claims(), key: issuer.key(kid)!.signingKey,
                             algorithm: alg)
    }

    func testValidTokensOfEveryDefaultAlgorithmVerify() throws {
        let v = makeVerifier(issuer)
        for kid in ["RS256-1", "ES256-1", "EdDSA-1", "PS256-1"] {
            let id = identity(verifySettled(v, try token(kid, issuer.claims(extra: "\"scope\":\"read write\",\"azp\":\"cli-1\",\"groups\":[\"ops\",\"dev team\"]"))))
            XCTAssertEqual(id?.subject, "agent-1", kid)
            XCTAssertEqual(id?.clientID, "cli-1")
            XCTAssertEqual(id?.scopes, ["read", "write"])
            XCTAssertEqual(id?.groups, ["ops", "dev team"])
            XCTAssertEqual(id?.issuer, issuer.issuer)
        }
    }

    func testAlgNoneAndAlgorithmsOutsideTheAllowListAreRejected() throws {
        let v = makeVerifier(issuer, algorithms: [.es256])
        XCTAssertEqual(rejection(verifySettled(v, try token("RS256-1"))), .algorithmNotAllowed)
        let payload = Base64URL.encode(Array(issuer.claims().utf8))
        let none = Base64URL.encode(Array("{\"alg\":\"none\"}".utf8)) + "." + payload + ".c2ln"
        XCTAssertEqual(rejection(verifySettled(v, none)), .algorithmNotAllowed)
        let noneCase = Base64URL.encode(Array("{\"alg\":\"NoNe\"}".utf8)) + "." + payload + ".c2ln"
        XCTAssertEqual(rejection(verifySettled(v, noneCase)), .algorithmNotAllowed)
    }

    func testKeyConfusionHS256WithTheRSAPublicKeyIsRejected() throws {
        let v = makeVerifier(issuer, algorithms: JWSAlgorithm.allCases)
        // The classic attack: HMAC keyed with the RSA public key's JWK text.
        let header = Base64URL.encode(Array("{\"alg\":\"HS256\",\"kid\":\"RS256-1\"}".utf8))
        let t = header + "." + Base64URL.encode(Array(issuer.claims().utf8)) + "." + Base64URL.encode([UInt8](repeating: 7, count: 32))
        XCTAssertEqual(rejection(verifySettled(v, t)), .algorithmNotAllowed)
        // And an RS256 key cannot check an ES256-labelled token.
        let mislabeled = try raw(header: "{\"alg\":\"ES256\",\"kid\":\"RS256-1\"}", kid: "ES256-1", alg: .es256)
        XCTAssertEqual(rejection(verifySettled(v, mislabeled)), .unknownKey)
    }

    func testConfiguringNoneOrHSIsAnError() {
        XCTAssertThrowsError(try IssuerSettings.algorithms(named: ["RS256", "none"]).get())
        XCTAssertThrowsError(try IssuerSettings.algorithms(named: ["HS256"]).get())
        XCTAssertThrowsError(try IssuerSettings.algorithms(named: ["RS257"]).get())
        XCTAssertEqual(try IssuerSettings.algorithms(named: ["ES256", "ES256", "EdDSA"]).get(), [.es256, .edDSA])
    }

    func testBadSignatureIsRejected() throws {
        let v = makeVerifier(issuer)
        // Change one character inside the signature (not the last one, whose
        // unused low bits must stay zero for the encoding to be canonical).
        var chars = Array(try token())
        let i = chars.count - 20
        chars[i] = chars[i] == "A" ? "B" : "A"
        XCTAssertEqual(rejection(verifySettled(v, String(chars))), .badSignature)
        // A valid signature from another issuer's key under the same kid.
        let other = try TestIssuer.generate(for: .rs256)
        let forged = try TestIssuer.token(headerJSON: "{\"alg\":\"RS256\",\"kid\":\"RS256-1\"}", payloadJSON: issuer.claims(),
                                          key: other, algorithm: .rs256)
        XCTAssertEqual(rejection(verifySettled(v, forged)), .badSignature)
    }

    func testECDSASignatureInDERFormIsRejected() throws {
        let v = makeVerifier(issuer)
        let t = try token("ES256-1")
        let parts = t.split(separator: ".")
        let sig = Base64URL.decode(String(parts[2]))!
        func int(_ v: ArraySlice<UInt8>) -> [UInt8] {
            var b = Array(v.drop { $0 == 0 })
            if b.isEmpty || b[0] & 0x80 != 0 { b.insert(0, at: 0) }
            return [0x02, UInt8(b.count)] + b
        }
        let body = int(sig[0..<32]) + int(sig[32...])
        let der = [0x30, UInt8(body.count)] + body
        let derToken = parts[0] + "." + parts[1] + "." + Base64URL.encode(der)
        XCTAssertEqual(rejection(verifySettled(v, derToken)), .badSignature)
    }

    func testMalformedBase64URLIsRejected() throws {
        let v = makeVerifier(issuer)
        let t = try token()
        let parts = t.split(separator: ".").map(String.init)
        let padded = parts[0] + "==." + parts[1] + "." + parts[2]
        XCTAssertEqual(rejection(verifySettled(v, padded)), .malformed)
        let plus = parts[0] + "." + parts[1] + "." + parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "+"
        XCTAssertEqual(rejection(verifySettled(v, plus)), .malformed)
        let space = parts[0] + "." + parts[1] + " ." + parts[2]
        XCTAssertEqual(rejection(verifySettled(v, space)), .malformed)
    }

    func testWrongNumberOfPartsIsRejected() throws {
        let v = makeVerifier(issuer)
        let t = try token()
        XCTAssertEqual(rejection(verifySettled(v, t + ".x")), .malformed)
        XCTAssertEqual(rejection(verifySettled(v, String(t[..<t.lastIndex(of: ".")!]))), .malformed)
        XCTAssertEqual(rejection(verifySettled(v, "abc")), .malformed)
    }

    func testDuplicateKeysInHeaderOrPayloadAreRejected() throws {
        let v = makeVerifier(issuer)
        let dupHeader = try raw(header: "{\"alg\":\"RS256\",\"kid\":\"RS256-1\",\"alg\":\"RS256\"}")
        XCTAssertEqual(rejection(verifySettled(v, dupHeader)), .malformed)
        let now = unixNow
        let dupPayload = try token("RS256-1", "{\"iss\":\"\(issuer.issuer)\",\"aud\":\"gatehouse\",\"sub\":\"a\",\"sub\":\"admin\",\"exp\":\(now + 60)}")
        XCTAssertEqual(rejection(verifySettled(v, dupPayload)), .malformed)
    }

    func testUnknownCritIsRejected() throws {
        let v = makeVerifier(issuer)
        let t = try raw(header: "{\"alg\":\"RS256\",\"kid\":\"RS256-1\",\"crit\":[\"exp\"],\"exp\":1}")
        XCTAssertEqual(rejection(verifySettled(v, t)), .unknownCritical)
    }

    func testKeyReferencesInTheHeaderAreRejected() throws {
        let v = makeVerifier(issuer)
        for member in ["\"jku\":\"http://127.0.0.1:1/keys\"", "\"x5u\":\"http://127.0.0.1:1/cert\"",
                       "\"jwk\":{\"kty\":\"EC\"}", "\"x5c\":[\"MIIB\"]"] {
            let t = try raw(header: "{\"alg\":\"RS256\",\"kid\":\"RS256-1\",\(member)}")
            XCTAssertEqual(rejection(verifySettled(v, t)), .headerKeyReference, member)
        }
    }

    func testTimeClaims() throws {
        let v = makeVerifier(issuer)
        let now = unixNow
        let base = "\"iss\":\"\(issuer.issuer)\",\"aud\":\"gatehouse\",\"sub\":\"a\""
        func check(_ claims: String, _ expected: TokenRejection.Reason?, line: UInt = #line) throws {
            let outcome = verifySettled(v, try token("ES256-1", "{\(base),\(claims)}"), now: now)
            XCTAssertEqual(rejection(outcome), expected, claims, line: line)
            if expected == nil { XCTAssertNotNil(identity(outcome), line: line) }
        }
        try check("\"exp\":\(now - 61)", .expired)
        try check("\"exp\":\(now - 30)", nil)                         // within the 60 s leeway
        try check("\"iat\":\(now)", .missingExpiry)
        try check("\"exp\":\"\(now + 60)\"", .badClaim)
        try check("\"exp\":\(now + 600),\"nbf\":\(now + 120)", .notYetValid)
        try check("\"exp\":\(now + 600),\"nbf\":\(now + 30)", nil)
        try check("\"exp\":\(now + 600),\"iat\":\(now + 120)", .issuedInFuture)
    }

    func testLifetimeOverTheMaximumIsRejected() throws {
        let v = makeVerifier(issuer, maxLifetime: 3600)
        XCTAssertEqual(rejection(verifySettled(v, try token("RS256-1", issuer.claims(lifetime: 7200)))), .lifetimeTooLong)
        XCTAssertNotNil(identity(verifySettled(v, try token("RS256-1", issuer.claims(lifetime: 3600)))))
        // Without iat or nbf the remaining lifetime must be within the bound.
        let now = Int64(Date().timeIntervalSince1970)
        let noStart = "{\"iss\":\"\(issuer.issuer)\",\"aud\":\"gatehouse\",\"sub\":\"a\",\"exp\":\(now + 86_400 * 365)}"
        XCTAssertEqual(rejection(verifySettled(v, try token("RS256-1", noStart))), .lifetimeTooLong)
        let shortNoStart = "{\"iss\":\"\(issuer.issuer)\",\"aud\":\"gatehouse\",\"sub\":\"a\",\"exp\":\(now + 600)}"
        XCTAssertNotNil(identity(verifySettled(v, try token("RS256-1", shortNoStart))))
    }

    func testIssuerMustMatchExactly() throws {
        let v = makeVerifier(issuer)
        let now = unixNow
        for iss in [issuer.issuer + "/", issuer.issuer.uppercased(), "http://127.0.0.1:1"] {
            let t = try token("RS256-1", "{\"iss\":\"\(iss)\",\"aud\":\"gatehouse\",\"sub\":\"a\",\"exp\":\(now + 60)}")
            XCTAssertEqual(rejection(verifySettled(v, t)), .wrongIssuer, iss)
        }
    }

    func testAudience() throws {
        let v = makeVerifier(issuer, audiences: ["gatehouse", "api://gh"])
        let now = unixNow
        func check(_ aud: String, _ expected: TokenRejection.Reason?, line: UInt = #line) throws {
            let t = try token("EdDSA-1", "{\"iss\":\"\(issuer.issuer)\",\"aud\":\(aud),\"sub\":\"a\",\"exp\":\(now + 60)}")
            XCTAssertEqual(rejection(verifySettled(v, t)), expected, aud, line: line)
        }
        try check("\"gatehouse\"", nil)
        try check("[\"other\",\"api://gh\"]", nil)
        try check("\"other\"", .wrongAudience)
        try check("[]", .wrongAudience)
        try check("[\"gatehouse\",1]", .wrongAudience)
        try check("{\"gatehouse\":true}", .wrongAudience)
    }

    func testOversizeTokenIsRejectedBeforeParsing() throws {
        let v = makeVerifier(issuer)
        let big = String(repeating: "A", count: 8193)
        XCTAssertEqual(rejection(verifySettled(v, big)), .tokenTooLarge)
        XCTAssertEqual(issuer.key("RS256-1") != nil, true)
    }

    func testRequiredTypCaseInsensitiveWithOrWithoutApplicationPrefix() throws {
        let v = makeVerifier(issuer, requiredType: "at+jwt")
        XCTAssertNotNil(identity(verifySettled(v, try token())))
        XCTAssertNotNil(identity(verifySettled(v, try raw(header: "{\"alg\":\"RS256\",\"kid\":\"RS256-1\",\"typ\":\"application/AT+JWT\"}"))))
        XCTAssertEqual(rejection(verifySettled(v, try raw(header: "{\"alg\":\"RS256\",\"kid\":\"RS256-1\",\"typ\":\"JWT\"}"))), .wrongType)
        XCTAssertEqual(rejection(verifySettled(v, try raw(header: "{\"alg\":\"RS256\",\"kid\":\"RS256-1\"}"))), .wrongType)
    }

    func testScopesFromScpArrayAndClientIDFallback() throws {
        let v = makeVerifier(issuer)
        let id = identity(verifySettled(v, try token("RS256-1", issuer.claims(extra: "\"scp\":[\"a\",\"b\"],\"client_id\":\"c-2\""))))
        XCTAssertEqual(id?.scopes, ["a", "b"])
        XCTAssertEqual(id?.clientID, "c-2")
        XCTAssertEqual(rejection(verifySettled(v, try token("RS256-1", issuer.claims(extra: "\"scp\":[\"a\",2]")))), .badClaim)
    }

    func testCustomSubjectAndRolesClaims() throws {
        let v = makeVerifier(issuer, claims: IssuerSettings.ClaimNames(subject: "oid", groups: "roles"))
        let id = identity(verifySettled(v, try token("RS256-1", issuer.claims(extra: "\"oid\":\"obj-9\",\"roles\":\"Admin\""))))
        XCTAssertEqual(id?.subject, "obj-9")
        XCTAssertEqual(id?.groups, ["Admin"])
    }

    func testTokenWithoutKidUsesAKeyThatFitsTheAlgorithm() throws {
        let v = makeVerifier(issuer)
        XCTAssertNotNil(identity(verifySettled(v, try raw(header: "{\"alg\":\"ES256\"}", kid: "ES256-1", alg: .es256))))
    }

    func testRejectionTextNeverContainsTheToken() throws {
        let v = makeVerifier(issuer)
        let t = try token("RS256-1", issuer.claims(lifetime: -3600))
        guard case .rejected(let r) = verifySettled(v, t) else { return XCTFail("expected a rejection") }
        XCTAssertFalse(r.description.contains(t))
        XCTAssertFalse(r.description.contains(String(t.split(separator: ".")[1])))
    }
}
