import XCTest
import HTTP1
import Policy

final class PipelineRunnerTests: XCTestCase {
    private let deny = LocalResponse(status: 403, code: "nope", message: "denied")
    private let onTimeout = LocalResponse(status: 503, code: "hold_expired", message: "late")

    private func holdVerdict(_ ms: Int = 100) -> StageVerdict {
        .hold(HoldTicket(label: "t"), timeoutMs: ms, onTimeout: onTimeout)
    }

    private func assertPipelineError(_ a: PipelineRunner.Action, file: StaticString = #filePath, line: UInt = #line) {
        guard case .respond(let r, let outcome) = a else { return XCTFail("expected respond, got \(a)", file: file, line: line) }
        XCTAssertEqual(r.status, 500, file: file, line: line)
        XCTAssertEqual(r.code, "pipeline_error", file: file, line: line)
        XCTAssertEqual(outcome, .pipelineError, file: file, line: line)
    }

    func testNoStagesForwardsAtOnce() {
        var p = PipelineRunner(stageCount: 0)
        XCTAssertEqual(p.start(), .forward)
        XCTAssertEqual(p.phase, .done)
        XCTAssertFalse(p.hasBufferedBody)
    }

    func testEveryStageProceedingForwards() {
        var p = PipelineRunner(stageCount: 3)
        XCTAssertEqual(p.start(), .evaluate(stage: 0))
        XCTAssertEqual(p.phase, .evaluating)
        XCTAssertEqual(p.event(.verdict(.proceed)), .evaluate(stage: 1))
        XCTAssertEqual(p.event(.verdict(.proceed)), .evaluate(stage: 2))
        XCTAssertEqual(p.cursor, 2)
        XCTAssertEqual(p.event(.verdict(.proceed)), .forward)
        XCTAssertEqual(p.phase, .done)
    }

    func testRespondStopsThePipeline() {
        var p = PipelineRunner(stageCount: 3)
        _ = p.start()
        _ = p.event(.verdict(.proceed))
        XCTAssertEqual(p.event(.verdict(.respond(deny))), .respond(deny, outcome: .denied))
        XCTAssertEqual(p.phase, .done)
        XCTAssertEqual(p.cursor, 1)
        // Anything after done is an error, not a silent forward.
        assertPipelineError(p.event(.verdict(.proceed)))
    }

    func testHoldThenProceedResumesAtTheNextStage() {
        var p = PipelineRunner(stageCount: 3)
        _ = p.start()
        _ = p.event(.verdict(.proceed))
        XCTAssertEqual(p.event(.verdict(holdVerdict(250))), .hold(timeoutMs: 250))
        XCTAssertEqual(p.phase, .held)
        XCTAssertEqual(p.event(.holdResolved(.proceed)), .evaluate(stage: 2))
        XCTAssertEqual(p.event(.verdict(.proceed)), .forward)
    }

    func testReevaluatingHoldRunsTheSameStageAgainOnProceed() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        let retry = StageVerdict.hold(HoldTicket(label: "keys", reevaluatesOnProceed: true), timeoutMs: 50, onTimeout: onTimeout)
        XCTAssertEqual(p.event(.verdict(retry)), .hold(timeoutMs: 50))
        XCTAssertEqual(p.event(.holdResolved(.proceed)), .evaluate(stage: 0))
        XCTAssertEqual(p.cursor, 0)
        // Holding the same way again is refused: the wait is bounded to one round.
        XCTAssertEqual(p.event(.verdict(retry)), .respond(onTimeout, outcome: .holdExpired))
    }

    func testReevaluatingHoldResolvedWithRespondAnswers() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        let retry = StageVerdict.hold(HoldTicket(label: "keys", reevaluatesOnProceed: true), timeoutMs: 50, onTimeout: onTimeout)
        _ = p.event(.verdict(retry))
        XCTAssertEqual(p.event(.holdResolved(.respond(deny))), .respond(deny, outcome: .denied))
    }

    func testHoldResolvedWithRespond() {
        var p = PipelineRunner(stageCount: 1)
        _ = p.start()
        _ = p.event(.verdict(holdVerdict()))
        XCTAssertEqual(p.event(.holdResolved(.respond(deny))), .respond(deny, outcome: .denied))
        XCTAssertEqual(p.phase, .done)
    }

    func testHoldExpiryUsesTheStagesTimeoutResponse() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        _ = p.event(.verdict(holdVerdict()))
        XCTAssertEqual(p.event(.holdExpired), .respond(onTimeout, outcome: .holdExpired))
        XCTAssertEqual(p.phase, .done)
        // A resolution arriving after expiry is refused by the runner too.
        assertPipelineError(p.event(.holdResolved(.proceed)))
    }

    func testClientGoneWhileHeldReadingOrEvaluatingAbandons() {
        var held = PipelineRunner(stageCount: 1)
        _ = held.start()
        _ = held.event(.verdict(holdVerdict()))
        XCTAssertEqual(held.event(.clientGone), .abandon)
        XCTAssertEqual(held.phase, .done)

        var reading = PipelineRunner(stageCount: 1)
        _ = reading.start()
        XCTAssertEqual(reading.event(.verdict(.needBody(limit: 10))), .readBody(limit: 10))
        XCTAssertEqual(reading.event(.clientGone), .abandon)

        var evaluating = PipelineRunner(stageCount: 1)
        _ = evaluating.start()
        XCTAssertEqual(evaluating.event(.clientGone), .abandon)
    }

    func testNeedBodyReadsThenReEvaluatesTheSameStage() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        _ = p.event(.verdict(.proceed))
        XCTAssertEqual(p.event(.verdict(.needBody(limit: 100))), .readBody(limit: 100))
        XCTAssertEqual(p.phase, .readingBody)
        XCTAssertEqual(p.event(.bodyBufferedSize(42)), .evaluate(stage: 1))
        XCTAssertTrue(p.hasBufferedBody)
        XCTAssertEqual(p.event(.verdict(.proceed)), .forward)
    }

    func testBodyTooLargeWhileReading() {
        var p = PipelineRunner(stageCount: 1)
        _ = p.start()
        _ = p.event(.verdict(.needBody(limit: 100)))
        guard case .respond(let r, let outcome) = p.event(.bodyTooLarge) else { return XCTFail() }
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.code, "body_too_large")
        XCTAssertEqual(outcome, .bodyTooLarge)
    }

    func testSameStageAskingForTheBodyTwiceFailsClosed() {
        var p = PipelineRunner(stageCount: 1)
        _ = p.start()
        _ = p.event(.verdict(.needBody(limit: 100)))
        _ = p.event(.bodyBufferedSize(10))
        assertPipelineError(p.event(.verdict(.needBody(limit: 100))))
        XCTAssertEqual(p.phase, .done)
    }

    func testLaterStageGetsTheAlreadyBufferedBody() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        _ = p.event(.verdict(.needBody(limit: 100)))
        _ = p.event(.bodyBufferedSize(50))
        XCTAssertEqual(p.event(.verdict(.proceed)), .evaluate(stage: 1))
        // No second read: stage 1 is evaluated again with the body at hand.
        XCTAssertEqual(p.event(.verdict(.needBody(limit: 50))), .evaluate(stage: 1))
        XCTAssertEqual(p.event(.verdict(.proceed)), .forward)
    }

    func testLaterStageWithSmallerLimitGets413() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        _ = p.event(.verdict(.needBody(limit: 100)))
        _ = p.event(.bodyBufferedSize(50))
        _ = p.event(.verdict(.proceed))
        guard case .respond(let r, .bodyTooLarge) = p.event(.verdict(.needBody(limit: 49))) else { return XCTFail() }
        XCTAssertEqual(r.status, 413)
    }

    func testLaterStageAskingTwiceAlsoFailsClosed() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        _ = p.event(.verdict(.needBody(limit: 100)))
        _ = p.event(.bodyBufferedSize(5))
        _ = p.event(.verdict(.proceed))
        XCTAssertEqual(p.event(.verdict(.needBody(limit: 100))), .evaluate(stage: 1))
        assertPipelineError(p.event(.verdict(.needBody(limit: 100))))
    }

    func testOutOfPhaseEventsAreErrors() {
        var idle = PipelineRunner(stageCount: 1)
        assertPipelineError(idle.event(.verdict(.proceed)))

        var evaluating = PipelineRunner(stageCount: 1)
        _ = evaluating.start()
        assertPipelineError(evaluating.event(.holdResolved(.proceed)))

        var held = PipelineRunner(stageCount: 1)
        _ = held.start()
        _ = held.event(.verdict(holdVerdict()))
        assertPipelineError(held.event(.verdict(.proceed)))

        var reading = PipelineRunner(stageCount: 1)
        _ = reading.start()
        _ = reading.event(.verdict(.needBody(limit: 1)))
        assertPipelineError(reading.event(.holdExpired))

        var evaluating2 = PipelineRunner(stageCount: 1)
        _ = evaluating2.start()
        assertPipelineError(evaluating2.event(.bodyBufferedSize(1)))
    }

    func testStartResetsTheCursor() {
        var p = PipelineRunner(stageCount: 2)
        _ = p.start()
        _ = p.event(.verdict(.proceed))
        XCTAssertEqual(p.cursor, 1)
        XCTAssertEqual(p.start(), .evaluate(stage: 0))
        XCTAssertEqual(p.cursor, 0)
    }
}
