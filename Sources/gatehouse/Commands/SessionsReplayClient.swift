#if canImport(Glibc)
import Glibc
#endif

/// A response as `sessions replay` received it.
struct ReplayResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    /// Up to `ReplayClient.bodyLimit` bytes of the body.
    var body: [UInt8]
    /// The full body length, kept or not.
    var bodySize: Int
}

/// Why a replayed request got no response.
struct ReplayError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// A small blocking HTTP/1.1 client over POSIX sockets, for `sessions
/// replay` only (not the data path): one connection per request
/// (`Connection: close`), a deadline per request, plain http.
struct ReplayClient {
    var host: String
    var port: Int
    var timeoutMs: Int
    /// Most body bytes kept for comparison; the rest are counted.
    static let bodyLimit = 16 << 20

    /// Sends `request` and reads the response, within `timeoutMs`.
    func send(_ request: [UInt8], method: String) throws(ReplayError) -> ReplayResponse {
        let deadline = Self.nowMs() + Int64(timeoutMs)
        let conn = try ReplaySocket.connect(host: host, port: port, deadline: deadline)
        defer { conn.close() }
        try conn.sendAll(request, deadline: deadline)
        while true {
            let head = try conn.readHead(deadline: deadline)
            let (status, headers) = try Self.parseHead(head)
            if (100..<200).contains(status) && status != 101 { continue }
            var response = ReplayResponse(status: status, headers: headers, body: [], bodySize: 0)
            if method == "HEAD" || status == 204 || status == 304 || status == 101 { return response }
            try readBody(conn, headers: headers, into: &response, deadline: deadline)
            return response
        }
    }

    private func readBody(_ conn: ReplaySocket, headers: [(name: String, value: String)],
                          into response: inout ReplayResponse, deadline: Int64) throws(ReplayError) {
        func keep(_ chunk: ArraySlice<UInt8>) {
            response.bodySize += chunk.count
            let room = Self.bodyLimit - response.body.count
            if room > 0 { response.body.append(contentsOf: chunk.prefix(room)) }
        }
        let te = headers.last { $0.name.lowercased() == "transfer-encoding" }?.value.lowercased()
        if let te, te.split(separator: ",").last?.trimmingCharacters() == "chunked" {
            while true {
                let line = try conn.readLine(deadline: deadline)
                let sizeText = line.split(separator: UInt8(ascii: ";"), maxSplits: 1).first ?? []
                guard let size = Int(String(decoding: sizeText, as: UTF8.self).trimmingCharacters(), radix: 16),
                      size >= 0 else { throw ReplayError("malformed chunk size in response") }
                if size == 0 {
                    while try !conn.readLine(deadline: deadline).isEmpty {}
                    return
                }
                var left = size
                while left > 0 {
                    let chunk = try conn.read(upTo: left, deadline: deadline)
                    if chunk.isEmpty { throw ReplayError("connection closed inside a chunk") }
                    keep(chunk[...])
                    left -= chunk.count
                }
                _ = try conn.readLine(deadline: deadline)
            }
        } else if let cl = headers.last(where: { $0.name.lowercased() == "content-length" }) {
            guard let length = Int(cl.value.trimmingCharacters()), length >= 0 else {
                throw ReplayError("invalid Content-Length \"\(cl.value)\" in response")
            }
            var left = length
            while left > 0 {
                let chunk = try conn.read(upTo: min(left, 65536), deadline: deadline)
                if chunk.isEmpty { throw ReplayError("connection closed after \(length - left) of \(length) body bytes") }
                keep(chunk[...])
                left -= chunk.count
            }
        } else {
            while true {
                let chunk = try conn.read(upTo: 65536, deadline: deadline)
                if chunk.isEmpty { return }
                keep(chunk[...])
            }
        }
    }

    /// Status and headers of a response head (without the blank line).
    static func parseHead(_ head: [UInt8]) throws(ReplayError) -> (Int, [(name: String, value: String)]) {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw ReplayError("empty response") }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw ReplayError("malformed status line \"\(statusLine.prefix(80))\"")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw ReplayError("malformed header line in response") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters()))
        }
        return (status, headers)
    }

    static func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
