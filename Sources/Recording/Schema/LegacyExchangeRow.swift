import GatehouseCore

/// Maps rows of the schema 1–3 `exchanges` view to `RecordedExchange`:
/// what migration 4 (`BlockConversion`) reads the old tables with.
enum LegacyExchangeRow {
    static let columns = """
        e.id, e.request_id, e.session_id, e.started_at, e.finished_at, e.route, e.client_address,
        e.subject, e.client_id, e.groups_json, e.method, e.target, e.request_headers_json,
        e.request_body, e.request_body_size, e.request_body_truncated,
        e.response_status, e.response_headers_json, e.response_body, e.response_body_size, e.response_body_truncated,
        e.t_request_us, e.t_policy_us, e.t_hold_us, e.t_connect_us, e.t_first_byte_us, e.t_total_us,
        e.bytes_in, e.bytes_out, e.upstream_address, e.error_code, e.error_reason, e.outcome, e.durability
        """

    static func exchange(from st: Statement) -> RecordedExchange {
        let subject = st.text(7)
        let clientID = st.text(8)
        let groups = StoredJSON.strings(st.text(9))
        let identity = subject == nil && clientID == nil && groups.isEmpty
            ? nil : RecordedIdentity(subject: subject, clientID: clientID, groups: groups)
        func micros(_ c: Int32) -> UInt64? { st.optionalInt64(c).map { UInt64(max($0, 0)) * 1000 } }
        return RecordedExchange(
            id: st.int64(0), requestID: st.text(1) ?? "", sessionID: st.int64(2),
            startedAt: st.int64(3), finishedAt: st.optionalInt64(4), route: st.text(5) ?? "",
            clientAddress: st.text(6) ?? "", identity: identity, method: st.text(10) ?? "", target: st.text(11) ?? "",
            requestHeaders: StoredJSON.headers(st.text(12)), requestBody: st.blob(13) ?? [],
            requestBodySize: st.int(14), requestBodyTruncated: st.bool(15),
            responseStatus: st.optionalInt64(16).map { Int($0) }, responseHeaders: StoredJSON.headers(st.text(17)),
            responseBody: st.blob(18) ?? [], responseBodySize: st.int(19), responseBodyTruncated: st.bool(20),
            timings: PhaseTimings(request: micros(21), policy: micros(22), hold: micros(23), connect: micros(24),
                                  firstByte: micros(25), total: micros(26)),
            bytesIn: st.int64(27), bytesOut: st.int64(28), upstreamAddress: st.text(29),
            errorCode: st.text(30), errorReason: st.text(31), outcome: st.text(32) ?? "",
            durability: st.text(33) ?? "", decisions: [])
    }
}

/// Decodes the JSON documents the writer stores in text columns. They are
/// written by `JSONFragments`, so anything else yields an empty value.
enum StoredJSON {
    static func strings(_ text: String?) -> [String] {
        guard let text, let node = try? JSONParser.parse(text), let items = node.arrayValue else { return [] }
        return items.compactMap(\.stringValue)
    }

    static func headers(_ text: String?) -> [HeaderField] {
        guard let text, let node = try? JSONParser.parse(text), let items = node.arrayValue else { return [] }
        return items.compactMap { pair in
            guard let p = pair.arrayValue, p.count == 2, let n = p[0].stringValue, let v = p[1].stringValue else { return nil }
            return HeaderField(n, v)
        }
    }
}
