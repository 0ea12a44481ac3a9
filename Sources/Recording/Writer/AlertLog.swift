import GatehouseCore

/// Writes recorder alerts as JSON lines on stderr through a `LogSink`
/// (never blocking the writer on the pipe). Each alert kind is rate-limited
/// so a failing disk produces one line per interval, not one per batch.
struct AlertLog {
    let sink: LogSink
    private var lastByKind: [String: UInt64] = [:]
    private var clock = WallClockFormatter()
    let intervalNs: UInt64

    init(sink: LogSink, intervalMs: Int = 10_000) {
        self.sink = sink
        self.intervalNs = nanoseconds(ms: intervalMs)
    }

    /// Logs `{"time":…,"level":…,"type":"recording_alert","alert":kind,"msg":…, fields…}`
    /// unless `kind` was logged less than the interval ago (`force` skips
    /// the limit). Returns whether a line was written.
    @discardableResult
    mutating func alert(_ kind: String, _ message: String, level: String = "error",
                        fields: [(String, String)] = [], force: Bool = false) -> Bool {
        let now = MonotonicClock.now()
        if !force, let last = lastByKind[kind], now &- last < intervalNs { return false }
        lastByKind[kind] = now
        var out: [UInt8] = []
        out.append(contentsOf: Array("{\"time\":\"".utf8))
        clock.appendNow(to: &out)
        out.append(contentsOf: Array("\",\"level\":".utf8))
        JSONOutput.appendString(level, to: &out)
        out.append(contentsOf: Array(",\"type\":\"recording_alert\",\"alert\":".utf8))
        JSONOutput.appendString(kind, to: &out)
        out.append(contentsOf: Array(",\"msg\":".utf8))
        JSONOutput.appendString(message, to: &out)
        for (k, v) in fields {
            out.append(UInt8(ascii: ","))
            JSONOutput.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONOutput.appendString(v, to: &out)
        }
        out.append(contentsOf: Array("}\n".utf8))
        sink.submit(out, to: .stderr)
        return true
    }

    /// Forgets the rate limit for `kind` (after recovery, the next failure
    /// is reported at once).
    mutating func reset(_ kind: String) { lastByKind[kind] = nil }
}
