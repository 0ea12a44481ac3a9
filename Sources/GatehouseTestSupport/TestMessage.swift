import Foundation

/// A parsed HTTP message as tests see it. Deliberately a separate, simple
/// reader (not the gateway's HTTP1 module), so tests check the gateway with
/// independent code.
public struct TestMessage: Sendable {
    /// Request line or status line.
    public var startLine: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whether the body ended properly (full length or last chunk), rather than by a cut connection.
    public var complete: Bool
    /// Whether the body was chunked on the wire.
    public var chunked: Bool

    public var status: Int {
        let parts = startLine.split(separator: " ")
        return parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    }
    public var method: String { String(startLine.split(separator: " ").first ?? "") }
    public var target: String {
        let parts = startLine.split(separator: " ")
        return parts.count > 1 ? String(parts[1]) : ""
    }
    public var bodyString: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

public enum TestHTTP {
    /// Reads one message. `isResponse` decides the no-body rules;
    /// `noBody` forces no body (a response to HEAD).
    public static func read(from sock: BlockingSocket, isResponse: Bool, noBody: Bool = false,
                            sink: ((ArraySlice<UInt8>) -> Void)? = nil) throws -> TestMessage? {
        let headBytes = try sock.readHead()
        if headBytes.isEmpty { return nil }
        let text = String(decoding: headBytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        while lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { return nil }
        let startLine = lines.removeFirst()
        var headers: [(String, String)] = []
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers.append((String(l[..<colon]), l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var msg = TestMessage(startLine: startLine, headers: headers, body: [], complete: true, chunked: false)
        let status = msg.status
        if isResponse && (noBody || (100..<200).contains(status) || status == 204 || status == 304) { return msg }
        func deliver(_ bytes: ArraySlice<UInt8>) {
            if let sink { sink(bytes) } else { msg.body += bytes }
        }
        if let te = msg.header("transfer-encoding"), te.lowercased().contains("chunked") {
            msg.chunked = true
            msg.complete = false
            while true {
                guard let line = try readLine(sock) else { return msg }
                let sizeText = line.split(separator: ";").first.map(String.init) ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return msg }
                if size == 0 {
                    while let t = try readLine(sock), !t.isEmpty {}
                    msg.complete = true
                    return msg
                }
                var remaining = size
                while remaining > 0 {
                    let chunk = try sock.readSome(max: min(remaining, 65536))
                    if chunk.isEmpty { return msg }
                    deliver(chunk[...])
                    remaining -= chunk.count
                }
                guard let crlf = try readLine(sock), crlf.isEmpty else { return msg }
            }
        } else if let cl = msg.header("content-length"), let n = Int(cl) {
            var remaining = n
            while remaining > 0 {
                let chunk = try sock.readSome(max: min(remaining, 65536))
                if chunk.isEmpty { msg.complete = false; return msg }
                deliver(chunk[...])
                remaining -= chunk.count
            }
        } else if isResponse {
            while true {
                let chunk = try sock.readSome()
                if chunk.isEmpty { break }
                deliver(chunk[...])
            }
        }
        return msg
    }

    private static func readLine(_ sock: BlockingSocket) throws -> String? {
        var line: [UInt8] = []
        while true {
            let b = try sock.readSome(max: 1)
            if b.isEmpty { return nil }
            if b[0] == 10 {
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            line.append(b[0])
            if line.count > 8192 { return nil }
        }
    }
}
