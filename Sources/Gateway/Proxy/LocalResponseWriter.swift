import GatehouseCore
import HTTP1
import Policy

/// Serialises a `LocalResponse` with its JSON error body:
/// `{"error":{"code":…,"message":…,"request_id":…}}`.
enum LocalResponseWriter {
    static func write(_ response: LocalResponse, requestID: String, requestIDHeader: String,
                      close: Bool, headOnly: Bool = false, into out: inout [UInt8]) {
        let body = self.body(response, requestID: requestID)
        var headers = HTTPHeaders()
        headers.append(name: "Content-Type", value: "application/json")
        headers.append(name: "Content-Length", value: String(body.count))
        headers.append(name: "Cache-Control", value: response.document == nil ? "no-store" : "max-age=300")
        if !requestID.isEmpty { headers.append(name: requestIDHeader, value: requestID) }
        for h in response.headers { headers.append(name: h.name, value: h.value) }
        if close { headers.append(name: "Connection", value: "close") }
        HTTPSerializer.writeResponseHead(status: response.status,
                                         reason: HTTPSerializer.reasonPhrase(for: response.status),
                                         headers: headers, into: &out)
        if !headOnly { out.append(contentsOf: body) }
    }

    /// The JSON error body alone (also what recording stores).
    static func body(_ response: LocalResponse, requestID: String) -> [UInt8] {
        if let document = response.document { return document }
        var body: [UInt8] = []
        body.reserveCapacity(160)
        body.appendLiteral("{\"error\":{\"code\":")
        JSONOutput.appendString(response.code, to: &body)
        body.appendLiteral(",\"message\":")
        JSONOutput.appendString(response.message, to: &body)
        body.appendLiteral(",\"request_id\":")
        JSONOutput.appendString(requestID, to: &body)
        body.appendLiteral("}}\n")
        return body
    }
}
