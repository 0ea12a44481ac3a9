import XCTest
import Foundation
import Identity
import GatehouseTestSupport

/// Key rotation against a real test issuer: new `kid` on first request,
/// a flood of random `kid`s, and the issuer going down.
final class KeyRotationTests: XCTestCase {
    func testNewKidWorksOnTheFirstRequest() throws {
        let issuer = try TestIssuer(algorithms: [.rs256])
        defer { issuer.stop() }
        let v = makeVerifier(issuer)
        XCTAssertNotNil(identity(verifySettled(v, try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims()))))
        XCTAssertEqual(issuer.jwksFetches, 1)
        try issuer.addKey(.es256, kid: "rotated-2")
        let first = verifySettled(v, try issuer.token(kid: "rotated-2", payloadJSON: issuer.claims()))
        XCTAssertNotNil(identity(first), "\(first)")
        XCTAssertEqual(issuer.jwksFetches, 2)
        XCTAssertEqual(issuer.discoveryFetches, 1)   // the jwks_uri is remembered
    }

    func testFloodOfRandomKidsFetchesAtMostTheRateLimitedNumber() throws {
        let issuer = try TestIssuer(algorithms: [.rs256])
        defer { issuer.stop() }
        let clock = ManualClock()
        let v = makeVerifier(issuer, clock: clock)
        XCTAssertNotNil(identity(verifySettled(v, try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims()))))
        let signer = issuer.key("RS256-1")!.signingKey
        let start = Date()
        var rejectedUnknown = 0
        for i in 0..<500 {
            let t = try TestIssuer.token(headerJSON: "{\"alg\":\"RS256\",\"kid\":\"random-\(i)\"}", payloadJSON: issuer.claims(),
                                         key: signer, algorithm: .rs256)
            if rejection(verifySettled(v, t)) == .unknownKey { rejectedUnknown += 1 }
            if i % 100 == 99 { clock.advance(ms: 3_000) }   // 500 requests over 15 s of issuer time
            XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        }
        XCTAssertEqual(rejectedUnknown, 500)
        // One initial fetch, then at most one per 10 s of the 15 s: 2 refetches.
        XCTAssertLessThanOrEqual(issuer.jwksFetches, 3)
        XCTAssertGreaterThanOrEqual(issuer.jwksFetches, 2)
        // Known keys still work throughout.
        XCTAssertNotNil(identity(verifySettled(v, try issuer.token(kid: "RS256-1", payloadJSON: issuer.claims()))))
    }

    func testIssuerDownKeepsCachedKeysWorking() throws {
        let issuer = try TestIssuer(algorithms: [.es256])
        defer { issuer.stop() }
        issuer.setCacheControl("max-age=60")
        let clock = ManualClock()
        let v = makeVerifier(issuer, clock: clock)
        XCTAssertNotNil(identity(verifySettled(v, try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims()))))
        issuer.setDown(true)
        clock.advance(ms: 3_600_000)   // far past expiry: refreshes are attempted and fail
        for _ in 0..<5 {
            XCTAssertNotNil(identity(verifySettled(v, try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims()))))
            XCTAssertTrue(waitUntil { v.keys.lastError != nil })
            clock.advance(ms: 40_000)
        }
        XCTAssertNotNil(v.keys.currentKeys)
        // An unknown kid while down: rejected (never accepted), cached keys untouched.
        try issuer.addKey(.es256, kid: "new")
        let r = verifySettled(v, try issuer.token(kid: "new", payloadJSON: issuer.claims()))
        XCTAssertEqual(rejection(r), .unknownKey)
        XCTAssertNotNil(identity(verifySettled(v, try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims()))))
    }

    func testNoKeyEverFetchedFailsClosed() throws {
        let issuer = try TestIssuer(algorithms: [.es256])
        defer { issuer.stop() }
        issuer.setDown(true)
        let v = makeVerifier(issuer)
        let outcome = verifySettled(v, try issuer.token(kid: "ES256-1", payloadJSON: issuer.claims()))
        guard case .unavailable = outcome else { return XCTFail("expected unavailable, got \(outcome)") }
    }

    func testBackgroundRefreshHonoursCacheControl() throws {
        let issuer = try TestIssuer(algorithms: [.edDSA])
        defer { issuer.stop() }
        issuer.setCacheControl("public, max-age=120")
        let clock = ManualClock()
        let v = makeVerifier(issuer, clock: clock)
        let t = try issuer.token(kid: "EdDSA-1", payloadJSON: issuer.claims())
        XCTAssertNotNil(identity(verifySettled(v, t)))
        clock.advance(ms: 95_000)          // before 80% of 120 s
        XCTAssertNotNil(identity(verifySettled(v, t)))
        XCTAssertEqual(issuer.jwksFetches, 1)
        clock.advance(ms: 2_000)           // past 96 s: background refresh, the request does not wait
        XCTAssertNotNil(identity(v.verify(Array(t.utf8), now: unixNow)))
        XCTAssertTrue(waitUntil { issuer.jwksFetches == 2 })
    }
}
