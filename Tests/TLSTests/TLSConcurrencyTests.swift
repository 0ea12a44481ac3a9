import GatehouseTestSupport
import Dispatch
import Synchronization
import TLS
import XCTest

/// Contexts are shared by every loop thread: handshakes on several threads
/// at once, all using one client context (and its session cache) and one
/// server context.
final class TLSConcurrencyTests: XCTestCase {
    func testHandshakesOnSeveralThreadsShareContextsAndSessions() throws {
        let clientContext = try TestContexts.client()
        let serverContext = try TestContexts.server()
        let completed = Atomic<Int>(0)
        let resumed = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for i in 0..<40 {
                // Three peer keys shared by all threads, so they compete for sessions.
                let key = "peer-\((thread + i) % 3)"
                let client = TLSConnection(client: clientContext, serverName: "localhost", sessionKey: key)
                let server = TLSConnection(server: serverContext)
                let results = TLSPump.handshake(client: client, server: server)
                guard results.client == .done, results.server == .done else { continue }
                var ignored: [UInt8] = []
                _ = TLSPump.drainPlaintext(client, into: &ignored)  // take the tickets
                let echoed = TLSPump.send(Array("thread \(thread)".utf8), from: client, to: server)
                if echoed == Array("thread \(thread)".utf8) { completed.add(1, ordering: .relaxed) }
                if client.isResumed { resumed.add(1, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(completed.load(ordering: .relaxed), 160)
        XCTAssertGreaterThan(resumed.load(ordering: .relaxed), 100, "most handshakes resume")
    }
}
