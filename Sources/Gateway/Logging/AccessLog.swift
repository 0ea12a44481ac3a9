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
        out.appendLiteral("{\"time\":\"")
        clock.appendNow(to: &out)
        out.appendLiteral("\",\"type\":\"access\",\"request_id\":")
        JSONOutput.appendString(r.requestID, to: &out)
        out.appendLiteral(",\"route\":")
        JSONOutput.appendString(r.route, to: &out)
        out.appendLiteral(",\"client\":")
        JSONOutput.appendString(r.client, to: &out)
        out.appendLiteral(",\"method\":")
        JSONOutput.appendString(r.method, to: &out)
        out.appendLiteral(",\"path\":")
        JSONOutput.appendString(r.path, to: &out)
        out.appendLiteral(",\"status\":")
        JSONOutput.appendInt(r.status, to: &out)
        out.appendLiteral(",\"bytes_in\":")
        JSONOutput.appendInt(r.bytesIn, to: &out)
        out.appendLiteral(",\"bytes_out\":")
        JSONOutput.appendInt(r.bytesOut, to: &out)
        out.appendLiteral(",\"duration_ms\":")
        JSONOutput.appendMilliseconds(nanos: r.totalNs, to: &out)
        if let u = r.upstreamNs {
            out.appendLiteral(",\"upstream_ms\":")
            JSONOutput.appendMilliseconds(nanos: u, to: &out)
        }
        if let up = r.upstream {
            out.appendLiteral(",\"upstream\":")
            JSONOutput.appendString(up, to: &out)
        }
        out.appendLiteral(",\"outcome\":")
        JSONOutput.appendString(r.outcome, to: &out)
        if let code = r.errorCode {
            out.appendLiteral(",\"error_code\":")
            JSONOutput.appendString(code, to: &out)
        }
        out.appendLiteral("}\n")
    }
}

/// Structured error/event lines for stderr.
enum EventLog {
    static func line(level: String, message: String, fields: [(String, String)] = [],
                     clock: inout WallClockFormatter, to out: inout [UInt8]) {
        out.appendLiteral("{\"time\":\"")
        clock.appendNow(to: &out)
        out.appendLiteral("\",\"level\":")
        JSONOutput.appendString(level, to: &out)
        out.appendLiteral(",\"msg\":")
        JSONOutput.appendString(message, to: &out)
        for (k, v) in fields {
            out.append(UInt8(ascii: ","))
            JSONOutput.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONOutput.appendString(v, to: &out)
        }
        out.appendLiteral("}\n")
    }

    /// For threads without a loop (start-up, resolver, signals).
    static func emit(level: String, message: String, fields: [(String, String)] = []) {
        var clock = WallClockFormatter()
        var out: [UInt8] = []
        line(level: level, message: message, fields: fields, clock: &clock, to: &out)
        LogSink.shared.submit(out, to: .stderr)
    }
}
