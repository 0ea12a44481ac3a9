/// Schema v4's data step: every exchange of the row-per-exchange tables
/// (versions 1–3) becomes a record in a block, in ID order: a `complete`
/// record when it has an outcome, a `start` record when it was left in
/// flight. Decisions come along; header values were redacted when they
/// were first written and stay as they are. Blocks hold up to `blockSize`
/// exchanges, and no more than the writer's byte bound (`BlockBuilder`),
/// so large stored bodies make more, smaller blocks. Runs inside the
/// migration's transaction.
enum BlockConversion {
    static let blockSize = 1000

    static func convertExisting(_ db: Database) throws(SQLiteError) {
        let select = try db.prepare("""
            SELECT \(LegacyExchangeRow.columns) FROM exchanges e WHERE e.id > ?1 ORDER BY e.id LIMIT ?2
            """)
        let decisions = try db.prepare("""
            SELECT phase, stage, rule_id, action, detectors_json, dry_run FROM decisions WHERE exchange_id = ?1
            ORDER BY CASE phase WHEN 'request' THEN 0 ELSE 1 END, seq
            """)
        let insert = try BlockInsert.version4(db)
        // Stored values were redacted when first written; redacting again changes nothing.
        let encoder = RecordEncoder(redactor: HeaderRedactor(), bodyCap: Int.max)
        let block = BlockBuilder(nextID: 1)
        var after: Int64 = 0
        while true {
            var page: [RecordedExchange] = []
            try select.bind(1, after)
            try select.bind(2, blockSize)
            while try select.step() { page.append(LegacyExchangeRow.exchange(from: select)) }
            select.reset()
            for var e in page {
                try decisions.bind(1, e.id)
                while try decisions.step() {
                    let d = RecordedDecision(stage: decisions.text(1) ?? "", ruleID: decisions.text(2),
                                             action: decisions.text(3) ?? "",
                                             detectors: StoredJSON.strings(decisions.text(4)), dryRun: decisions.bool(5))
                    e.decisions.append(StoredDecision(phase: decisions.text(0) ?? "", decision: d))
                }
                decisions.reset()
                let (start, outcome) = records(e)
                if block.isFull { try block.write(insert) }
                _ = block.beginRecord(at: e.startedAt, session: e.sessionID)
                if let outcome {
                    encoder.appendComplete(start, outcome, sessionID: e.sessionID, to: block)
                } else {
                    encoder.appendStart(start, sessionID: e.sessionID, to: block)
                }
            }
            try block.write(insert)
            guard page.count == blockSize, let last = page.last else { return }
            after = last.id
        }
    }

    /// The records an exchange read back from the old tables stands for.
    static func records(_ e: RecordedExchange) -> (ExchangeStart, ExchangeOutcome?) {
        let durability = DurabilityMode(rawValue: e.durability) ?? .strict
        let start = ExchangeStart(
            requestID: e.requestID, startedAt: e.startedAt, route: e.route, clientAddress: e.clientAddress,
            identity: e.identity, method: e.method, target: e.target, requestHeaders: HeaderList(e.requestHeaders),
            requestBody: CapturedBody(restoring: e.requestBody, totalLength: e.requestBodySize),
            decisions: e.decisions.filter { $0.phase == "request" }.map(\.decision), durability: durability)
        guard let outcome = Outcome(rawValue: e.outcome), outcome != .inFlight else { return (start, nil) }
        let end = ExchangeOutcome(
            requestID: e.requestID, finishedAt: e.finishedAt ?? e.startedAt, outcome: outcome,
            responseStatus: e.responseStatus, responseHeaders: HeaderList(e.responseHeaders),
            responseBody: CapturedBody(restoring: e.responseBody, totalLength: e.responseBodySize),
            decisions: e.decisions.filter { $0.phase != "request" }.map(\.decision), timings: e.timings,
            bytesIn: UInt64(max(e.bytesIn, 0)), bytesOut: UInt64(max(e.bytesOut, 0)),
            upstreamAddress: e.upstreamAddress, errorCode: e.errorCode, errorReason: e.errorReason,
            durability: durability)
        return (start, end)
    }
}
