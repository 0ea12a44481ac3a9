import XCTest
@testable import HTTP1

/// Deterministic pseudo-random generator (SplitMix64) so failures are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Feeds random mutations of valid messages to the parsers: they must never crash, must
/// give the same answer whether the input arrives at once or in random pieces, and any
/// accepted head must be self-consistent and survive a serialize/parse round trip.
final class RandomizedMutationTests: XCTestCase {
    static let seeds: [String] = [
        "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n",
        "POST /api/v1/items HTTP/1.1\r\nHost: api.local:8080\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello",
        "PUT /f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "GET http://h:1/p HTTP/1.1\r\nHost: h:1\r\nConnection: close, x-a\r\nX-A: 1\r\n\r\n",
        "OPTIONS * HTTP/1.0\r\n\r\n",
    ]

    static let interesting: [UInt8] = [0x0D, 0x0A, 0x20, 0x09, 0x3A, 0x00, 0xFF, 0x2C, 0x30, 0x39, 0x61, 0x2F,
                                       0x3F, 0x25, 0x22, 0x3B, 0x7F, 0x48, 0x2D]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !b.isEmpty else { break }
            let i = Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: b[i] = interesting.randomElement(using: &rng)!
            case 1: b[i] = UInt8.random(in: 0...255, using: &rng)
            case 2: b.insert(interesting.randomElement(using: &rng)!, at: i)
            case 3: b.remove(at: i)
            case 4:
                let j = min(b.count, i + Int.random(in: 1...12, using: &rng))
                b.insert(contentsOf: Array(b[i..<j]), at: i)
            default:
                b[i] = b[i] ^ 0x20   // case flip for letters
            }
        }
        return b
    }

    enum Outcome: Equatable {
        case needMore
        case complete(RequestHead, Int)
        case failed(HTTPParseError)
    }

    static func oneShot(_ bytes: [UInt8]) -> Outcome {
        switch parseRequest(bytes) {
        case .needMore: return .needMore
        case .complete(let h, let c): return .complete(h, c)
        case .failed(let e): return .failed(e)
        }
    }

    static func pieces(_ bytes: [UInt8], _ rng: inout SplitMix64) -> Outcome {
        var parser = RequestHeadParser(limits: HTTPLimits())
        var n = 0
        while true {
            n = min(bytes.count, n + Int.random(in: 1...7, using: &rng))
            switch Array(bytes[0..<n]).withUnsafeBytes({ parser.parse($0) }) {
            case .needMore: if n == bytes.count { return .needMore }
            case .complete(let h, let c): return .complete(h, c)
            case .failed(let e): return .failed(e)
            }
        }
    }

    func checkConsistent(_ h: RequestHead, consumed: Int, input: [UInt8]) {
        XCTAssertFalse(h.method.isEmpty)
        XCTAssertNotEqual(h.method, "CONNECT")
        XCTAssertTrue(h.target.hasPrefix("/") || (h.target == "*" && h.method == "OPTIONS"), h.target)
        XCTAssertLessThanOrEqual(consumed, input.count)
        XCTAssertEqual(Array(input[(consumed - 4)..<consumed]), Array("\r\n\r\n".utf8))
        XCTAssertEqual(h.host, h.host.lowercased())
        if h.version == .http1_1 { XCTAssertFalse(h.host.isEmpty) }
        XCTAssertNotEqual(h.framing, .untilClose)
        if case .contentLength(let n) = h.framing { XCTAssertLessThanOrEqual(n, 1 << 53) }
        XCTAssertEqual(h.keepAlive, MessageSemantics.keepAlive(version: h.version, tokens: h.connectionTokens))
        // Round trip for heads the serializer can reproduce exactly (it always writes HTTP/1.1).
        if h.version == .http1_1 && !h.isAbsoluteForm {
            var out: [UInt8] = []
            HTTPSerializer.writeRequestHead(method: h.method, target: h.target, headers: h.headers, into: &out)
            guard case .complete(let again, let c2) = parseRequest(out) else {
                return XCTFail("round trip failed for \(escaped(input))")
            }
            XCTAssertEqual(again, h, "round trip mismatch for \(escaped(input))")
            XCTAssertEqual(c2, out.count)
        }
    }

    func testRequestMutations() {
        var rng = SplitMix64(state: 0x6A7E_4053)
        var accepted = 0, rejected = 0
        for iteration in 0..<3000 {
            let seed = Array(Self.seeds[iteration % Self.seeds.count].utf8)
            let input = Self.mutate(seed, &rng)
            let a = Self.oneShot(input)
            let b = Self.pieces(input, &rng)
            XCTAssertEqual(a, b, "one-shot vs incremental differ for \(escaped(input))")
            switch a {
            case .complete(let h, let c):
                accepted += 1
                checkConsistent(h, consumed: c, input: input)
            case .failed(let e):
                rejected += 1
                XCTAssertTrue([400, 414, 417, 431, 501, 505].contains(e.status), "\(e)")
                XCTAssertFalse(e.code.isEmpty)
            case .needMore:
                break
            }
        }
        XCTAssertGreaterThan(accepted, 100)
        XCTAssertGreaterThan(rejected, 100)
    }

    func testResponseMutationsNeverCrash() {
        var rng = SplitMix64(state: 0x5EED)
        let seeds = [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n",
            "HTTP/1.0 404 Not Found\r\nServer: s\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        ].map { Array($0.utf8) }
        for iteration in 0..<1500 {
            let input = Self.mutate(seeds[iteration % seeds.count], &rng)
            var parser = ResponseHeadParser(limits: HTTPLimits())
            switch input.withUnsafeBytes({ parser.parse($0, requestMethod: "GET") }) {
            case .complete(let h, let c):
                XCTAssertTrue((100...599).contains(h.status))
                XCTAssertLessThanOrEqual(c, input.count)
                if h.framing == .untilClose { XCTAssertFalse(h.keepAlive) }
            case .failed(let e):
                XCTAssertEqual(e.status, 502)
            case .needMore:
                break
            }
        }
    }

    func testChunkedMutationsSplitConsistently() {
        var rng = SplitMix64(state: 0xC4_0C4)
        let seed = Array("5;a=b\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nT: 1\r\n\r\nNEXT".utf8)
        for _ in 0..<1500 {
            let input = Self.mutate(seed, &rng)
            func run(_ chunks: [[UInt8]]) -> String {
                var d = ChunkedDecoder()
                var body: [UInt8] = []
                var total = 0
                do {
                    for c in chunks {
                        let (used, done) = try c.withUnsafeBytes { p in
                            try d.decode(p) { body.append(contentsOf: $0) }
                        }
                        total += used
                        if done { return "done \(total) \(body)" }
                        XCTAssertEqual(used, c.count)
                    }
                    return "more \(total) \(body)"
                } catch {
                    return "error \((error as? HTTPParseError)?.code ?? "?")"
                }
            }
            var split: [[UInt8]] = []
            var i = 0
            while i < input.count {
                let j = min(input.count, i + Int.random(in: 1...5, using: &rng))
                split.append(Array(input[i..<j]))
                i = j
            }
            XCTAssertEqual(run([input]), run(split), escaped(input))
        }
    }
}
