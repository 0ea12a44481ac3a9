import XCTest
import Identity
import TLS
import GatehouseTestSupport

final class JWKSetTests: XCTestCase {
    private func jwk(_ alg: JWSAlgorithm, kid: String) throws -> (String, SigningKey) {
        let key = try TestIssuer.generate(for: alg)
        return (try TestIssuer.jwk(TestIssuer.Key(kid: kid, algorithm: alg, signingKey: key)), key)
    }

    func testABadKeyIsSkippedAndTheOthersWork() throws {
        let (good, _) = try jwk(.es256, kid: "good")
        let weak = try SigningKey.generateRSA(bits: 1024)
        let weakJWK = try TestIssuer.jwk(TestIssuer.Key(kid: "weak", algorithm: .rs256, signingKey: weak))
        let body = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"broken\",\"n\":\"a+b\",\"e\":\"AQAB\"},\(weakJWK),\(good),"
            + "{\"kty\":\"EC\",\"kid\":\"off\",\"crv\":\"P-256\",\"x\":\"\(Base64URL.encode([UInt8](repeating: 1, count: 32)))\",\"y\":\"\(Base64URL.encode([UInt8](repeating: 2, count: 32)))\"},"
            + "{\"kty\":\"oct\",\"kid\":\"sym\",\"k\":\"c2VjcmV0\"},{\"kty\":\"EC\",\"kid\":\"enc\",\"use\":\"enc\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}"
        let set = try JWKSet.parse(Array(body.utf8)).get()
        XCTAssertEqual(set.keys.map(\.keyID), ["good"])
        XCTAssertEqual(set.skipped.count, 5)
        XCTAssertTrue(set.skipped.contains { $0.contains("weak") && $0.contains("1024") })
    }

    func testKeyTypeCurveAndAlgMustAgreeWithTheToken() throws {
        let (es, _) = try jwk(.es256, kid: "e")
        let (rs, _) = try jwk(.rs256, kid: "r")
        let (ed, _) = try jwk(.edDSA, kid: "d")
        let set = try JWKSet.parse(Array("{\"keys\":[\(es),\(rs),\(ed)]}".utf8)).get()
        XCTAssertEqual(set.candidates(kid: "e", alg: .es256).count, 1)
        XCTAssertEqual(set.candidates(kid: "e", alg: .es384).count, 0)   // curve mismatch
        XCTAssertEqual(set.candidates(kid: "r", alg: .rs256).count, 1)
        XCTAssertEqual(set.candidates(kid: "r", alg: .ps256).count, 0)   // the JWK says alg RS256
        XCTAssertEqual(set.candidates(kid: "r", alg: .es256).count, 0)
        XCTAssertEqual(set.candidates(kid: "d", alg: .edDSA).count, 1)
        XCTAssertEqual(set.candidates(kid: nil, alg: .rs256).map(\.keyID), ["r"])
    }

    func testDocumentLevelErrors() {
        XCTAssertThrowsError(try JWKSet.parse(Array("{\"keys\":{}}".utf8)).get())
        XCTAssertThrowsError(try JWKSet.parse(Array("{\"keys\":[],\"keys\":[]}".utf8)).get())
        XCTAssertThrowsError(try JWKSet.parse(Array("nope".utf8)).get())
    }

    func testDiscoveryIssuerMustMatchExactly() {
        let doc = Array("{\"issuer\":\"https://id.example/\",\"jwks_uri\":\"https://id.example/keys\"}".utf8)
        XCTAssertEqual(try DiscoveryDocument.parse(doc, expectedIssuer: "https://id.example/").get().jwksURI, "https://id.example/keys")
        XCTAssertThrowsError(try DiscoveryDocument.parse(doc, expectedIssuer: "https://id.example").get())
        let http = Array("{\"issuer\":\"https://id.example\",\"jwks_uri\":\"http://id.example/keys\"}".utf8)
        XCTAssertThrowsError(try DiscoveryDocument.parse(http, expectedIssuer: "https://id.example").get())
        XCTAssertEqual(DiscoveryDocument.url(forIssuer: "https://id.example/realms/a/"),
                       "https://id.example/realms/a/.well-known/openid-configuration")
    }
}
