import GatehouseCore

/// One access-log record: everything logged for an exchange, exactly once,
/// whether it was forwarded, refused, held, failed or abandoned.
struct AccessRecord {
    var requestID: String
    var route: String
    var method: String
    var path: String
    var status: Int
    var bytesIn: UInt64
    var bytesOut: UInt64
    var totalNs: UInt64
    var upstreamNs: UInt64?
    var outcome: String
    var errorCode: String?
    var client: String
    var upstream: String?
}

/// Formats access records as JSON lines into a loop's log buffer.
enum AccessLog {
    static func append(_ r: AccessRecord, clock: inout WallClockFormatter, to out: inout [UInt8]) {
        out.append(contentsOf: Array("{\"time\":\"".utf8))
        clock.appendNow(to: &out)
        out.append(contentsOf: Array("\",\"type\":\"access\",\"request_id\":".utf8))
        JSONOutput.appendString(r.requestID, to: &out)
        out.append(contentsOf: Array(",\"route\":".utf8))
        JSONOutput.appendString(r.route, to: &out)
        out.append(contentsOf: Array(",\"client\":".utf8))
        JSONOutput.appendString(r.client, to: &out)
        out.append(contentsOf: Array(",\"method\":".utf8))
        JSONOutput.appendString(r.method, to: &out)
        out.append(contentsOf: Array(",\"path\":".utf8))
        JSONOutput.appendString(r.path, to: &out)
        out.append(contentsOf: Array(",\"status\":".utf8))
        JSONOutput.appendInt(r.status, to: &out)
        out.append(contentsOf: Array(",\"bytes_in\":".utf8))
        JSONOutput.appendInt(r.bytesIn, to: &out)
        out.append(contentsOf: Array(",\"bytes_out\":".utf8))
        JSONOutput.appendInt(r.bytesOut, to: &out)
        out.append(contentsOf: Array(",\"duration_ms\":".utf8))
        JSONOutput.appendMilliseconds(nanos: r.totalNs, to: &out)
        if let u = r.upstreamNs {
            out.append(contentsOf: Array(",\"upstream_ms\":".utf8))
            JSONOutput.appendMilliseconds(nanos: u, to: &out)
        }
        if let up = r.upstream {
            out.append(contentsOf: Array(",\"upstream\":".utf8))
            JSONOutput.appendString(up, to: &out)
        }
        out.append(contentsOf: Array(",\"outcome\":".utf8))
        JSONOutput.appendString(r.outcome, to: &out)
        if let code = r.errorCode {
            out.append(contentsOf: Array(",\"error_code\":".utf8))
            JSONOutput.appendString(code, to: &out)
        }
        out.append(contentsOf: Array("}\n".utf8))
    }
}

/// Structured error/event lines for stderr.
enum EventLog {
    static func line(level: String, message: String, fields: [(String, String)] = [],
                     clock: inout WallClockFormatter, to out: inout [UInt8]) {
        out.append(contentsOf: Array("{\"time\":\"".utf8))
        clock.appendNow(to: &out)
        out.append(contentsOf: Array("\",\"level\":".utf8))
        JSONOutput.appendString(level, to: &out)
        out.append(contentsOf: Array(",\"msg\":".utf8))
        JSONOutput.appendString(message, to: &out)
        for (k, v) in fields {
            out.append(UInt8(ascii: ","))
            JSONOutput.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONOutput.appendString(v, to: &out)
        }
        out.append(contentsOf: Array("}\n".utf8))
    }

    /// For threads without a loop (start-up, resolver, signals).
    static func emit(level: String, message: String, fields: [(String, String)] = []) {
        var clock = WallClockFormatter()
        var out: [UInt8] = []
        line(level: level, message: message, fields: fields, clock: &clock, to: &out)
        LogSink.shared.submit(out, to: .stderr)
    }
}
