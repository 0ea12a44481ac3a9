import XCTest
@testable import HTTP1

/// Parses `raw` (a complete buffer) as a request head with a fresh parser.
func parseRequest(_ raw: String, limits: HTTPLimits = HTTPLimits()) -> HeadParseResult<RequestHead> {
    parseRequest(Array(raw.utf8), limits: limits)
}

func parseRequest(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HeadParseResult<RequestHead> {
    var parser = RequestHeadParser(limits: limits)
    return bytes.withUnsafeBytes { parser.parse($0) }
}

func parseResponse(_ raw: String, method: String = "GET",
                   limits: HTTPLimits = HTTPLimits()) -> HeadParseResult<ResponseHead> {
    var parser = ResponseHeadParser(limits: limits)
    return Array(raw.utf8).withUnsafeBytes { parser.parse($0, requestMethod: method) }
}

/// Asserts that `raw` parses to a complete request head and returns it.
func requireRequest(_ raw: String, limits: HTTPLimits = HTTPLimits(),
                    file: StaticString = #filePath, line: UInt = #line) -> (RequestHead, Int)? {
    switch parseRequest(raw, limits: limits) {
    case .complete(let head, let consumed):
        return (head, consumed)
    case .needMore:
        XCTFail("expected complete head, got needMore", file: file, line: line)
    case .failed(let e):
        XCTFail("expected complete head, got \(e)", file: file, line: line)
    }
    return nil
}

func requireResponse(_ raw: String, method: String = "GET",
                     file: StaticString = #filePath, line: UInt = #line) -> (ResponseHead, Int)? {
    switch parseResponse(raw, method: method) {
    case .complete(let head, let consumed):
        return (head, consumed)
    case .needMore:
        XCTFail("expected complete head, got needMore", file: file, line: line)
    case .failed(let e):
        XCTFail("expected complete head, got \(e)", file: file, line: line)
    }
    return nil
}

func assertRequestFails(_ raw: String, _ status: Int, _ code: String, limits: HTTPLimits = HTTPLimits(),
                        file: StaticString = #filePath, line: UInt = #line) {
    assertRequestFails(Array(raw.utf8), status, code, limits: limits, file: file, line: line)
}

func assertRequestFails(_ bytes: [UInt8], _ status: Int, _ code: String, limits: HTTPLimits = HTTPLimits(),
                        file: StaticString = #filePath, line: UInt = #line) {
    switch parseRequest(bytes, limits: limits) {
    case .failed(let e):
        XCTAssertEqual(e.code, code, "wrong code for \(escaped(bytes))", file: file, line: line)
        XCTAssertEqual(e.status, status, "wrong status for \(escaped(bytes))", file: file, line: line)
    case .needMore:
        XCTFail("expected \(status) \(code), got needMore for \(escaped(bytes))", file: file, line: line)
    case .complete(let h, _):
        XCTFail("expected \(status) \(code), got complete \(h.method) \(h.target) for \(escaped(bytes))",
                file: file, line: line)
    }
}

func assertResponseFails(_ raw: String, _ code: String, method: String = "GET",
                         file: StaticString = #filePath, line: UInt = #line) {
    switch parseResponse(raw, method: method) {
    case .failed(let e):
        XCTAssertEqual(e.code, code, "wrong code for \(escaped(Array(raw.utf8)))", file: file, line: line)
        XCTAssertEqual(e.status, 502, file: file, line: line)
    case .needMore:
        XCTFail("expected \(code), got needMore for \(escaped(Array(raw.utf8)))", file: file, line: line)
    case .complete(let h, _):
        XCTFail("expected \(code), got complete \(h.status) for \(escaped(Array(raw.utf8)))", file: file, line: line)
    }
}

func escaped(_ bytes: [UInt8]) -> String {
    var s = ""
    for b in bytes.prefix(200) {
        switch b {
        case 0x0D: s += "\\r"
        case 0x0A: s += "\\n"
        case 0x20...0x7E: s.append(Character(Unicode.Scalar(b)))
        default: s += "\\x" + String(b, radix: 16)
        }
    }
    return s
}

func headersList(_ h: HTTPHeaders) -> [String] {
    (0..<h.count).map { "\(h.nameString(at: $0)): \(h.valueString(at: $0))" }
}
