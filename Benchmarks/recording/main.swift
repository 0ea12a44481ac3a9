// recording-bench: the recording writer alone, without the gateway.
//
// Several producer threads stand in for event loops. Each exchange is two
// records, `.start` (1 KiB request body) and `.outcome` (1 KiB response
// body), with realistic headers (one of them a credential) and a policy
// decision, and request IDs from the gateway's own generator, submitted
// through `Recorder.submit` exactly as the proxy does:
//
// - strict: every producer keeps `--inflight` exchanges open; the outcome is
//   submitted only after the start's completion reported its COMMIT, and an
//   exchange counts once its outcome's completion arrived. Completions are
//   posted back to the producer's mailbox (as the proxy posts them to its
//   event loop), never acted on by the writer thread.
// - async: producers submit both records without completions; when the
//   queue refuses one (it is full: the writer is the bottleneck) the
//   producer sleeps 0.5 ms and retries, so that it does not take CPU from
//   the writer. The clock stops when `flush()` reports everything written.
//
// Then it writes a fixed number of exchanges with several body sizes and
// body caps and reports the database's bytes per exchange after a closing
// TRUNCATE checkpoint.
//
// Usage: swift run -c release recording-bench [--threads 4] [--inflight 16]
//        [--seconds 5] [--async-exchanges 200000] [--size-exchanges 5000]
//        [--dir PATH] [--only strict|async|size] [--checkpoint-frames N]
//        [--random-ids] [--page-size BYTES]
import Foundation
import GatehouseCore
import Recording

struct Options {
    var threads = 4
    var inflight = 16
    var seconds = 5.0
    var asyncExchanges = 200_000
    var sizeExchanges = 5_000
    var dir: String? = nil
    var only: String? = nil
    var checkpointFrames: Int? = nil
    var randomIDs = false
    var pageSize: Int? = nil
    var backoffUs: UInt32 = 2000

    init(_ args: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fatalError("missing value for \(args[i - 1])") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--threads": threads = Int(value())!
            case "--inflight": inflight = Int(value())!
            case "--seconds": seconds = Double(value())!
            case "--async-exchanges": asyncExchanges = Int(value())!
            case "--size-exchanges": sizeExchanges = Int(value())!
            case "--dir": dir = value()
            case "--only": only = value()
            case "--checkpoint-frames": checkpointFrames = Int(value())!
            case "--random-ids": randomIDs = true
            case "--page-size": pageSize = Int(value())!
            case "--backoff-us": backoffUs = UInt32(value())!
            default:
                FileHandle.standardError.write(Data("unknown argument \(args[i])\n".utf8))
                exit(2)
            }
            i += 1
        }
    }
}

/// Where the databases go: `--dir`, else `.build/recording-bench` (a real
/// disk, so that fsync costs what it costs; not tmpfs).
enum BenchDir {
    static let path: String = {
        let o = Options(CommandLine.arguments)
        let d = o.dir ?? (FileManager.default.currentDirectoryPath + "/.build/recording-bench")
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()
}

/// Runs `body(i)` for i in 0..<n on n threads of its own (not the Dispatch
/// pool, which is only as wide as the cores) and waits for all of them.
func onThreads(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<n {
        group.enter()
        Thread.detachNewThread {
            body(i)
            group.leave()
        }
    }
    group.wait()
}

func freshPath(_ name: String) -> String {
    let p = BenchDir.path + "/" + name + ".db"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + suffix) }
    return p
}

func removeDB(_ p: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + suffix) }
}

func fileSize(_ p: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.int64Value ?? 0
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Request IDs as the gateway makes them: `RequestIDGenerator` itself
/// (time-ordered, 80 random bits), so the `request_id` index sees the
/// inserts it sees in production. `--random-ids` uses 128 random bits
/// instead, as the gateway did before, for comparison.
struct RequestIDs {
    private var generator = RequestIDGenerator()
    private var rng = SystemRandomNumberGenerator()

    mutating func make() -> String {
        options.randomIDs ? generator.make(atMillis: rng.next()) : generator.make()
    }
}

/// Deterministic JSON-ish filler of exactly `n` bytes.
func body(_ n: Int, seed: Int) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(n)
    let text = Array("{\"items\":[{\"id\":\(seed),\"name\":\"item-\(seed)\",\"ok\":true}".utf8)
    while out.count < n { out.append(text[out.count % text.count]) }
    return out
}

struct Shapes {
    let requestBody: [UInt8]
    let responseBody: [UInt8]

    func start(_ id: String, thread: Int, durability: DurabilityMode, cap: Int) -> ExchangeStart {
        ExchangeStart(
            requestID: id, startedAt: RecordingClock.nowMillis(), route: "crm",
            clientAddress: "10.0.0.\(thread + 1):40\(100 + thread)",
            identity: RecordedIdentity(subject: "agent-\(thread)", clientID: "client-\(thread)", groups: ["eng", "agents"]),
            method: "POST", target: "/v1/items?limit=26&cursor=abc",
            requestHeaders: requestHeaders(id),
            requestBody: CapturedBody(requestBody, cap: cap),
            decisions: [RecordedDecision(stage: "policy", ruleID: "crm-read-write", action: "allow")],
            durability: durability)
    }

    /// Built as the gateway builds them: one reserved buffer, the fields
    /// appended to it (the gateway copies them from the parsed head).
    func requestHeaders(_ id: String) -> HeaderList {
        var h = HeaderList()
        h.reserve(fields: 8, bytes: 256)
        h.append(name: "Host", value: "crm.internal")
        h.append(name: "User-Agent", value: "agent-sdk/1.4 (linux)")
        h.append(name: "Accept", value: "application/json")
        h.append(name: "Content-Type", value: "application/json")
        h.append(name: "Content-Length", value: String(requestBody.count))
        h.append(name: "Authorization", value: "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig")
        h.append(name: "X-Request-Id", value: id)
        h.append(name: "Traceparent", value: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        return h
    }

    func responseHeaders() -> HeaderList {
        var h = HeaderList()
        h.reserve(fields: 5, bytes: 128)
        h.append(name: "Content-Type", value: "application/json")
        h.append(name: "Content-Length", value: String(responseBody.count))
        h.append(name: "Date", value: "Wed, 25 Nov 2026 17:20:00 GMT")
        h.append(name: "Server", value: "nginx")
        h.append(name: "Cache-Control", value: "no-store")
        return h
    }

    func outcome(_ id: String, durability: DurabilityMode, cap: Int) -> ExchangeOutcome {
        ExchangeOutcome(
            requestID: id, finishedAt: RecordingClock.nowMillis(), outcome: .completed, responseStatus: 200,
            responseHeaders: responseHeaders(),
            responseBody: CapturedBody(responseBody, cap: cap),
            timings: PhaseTimings(policy: 12_000, connect: 40_000, firstByte: 250_000, total: 400_000),
            bytesIn: UInt64(requestBody.count + 300), bytesOut: UInt64(responseBody.count + 150),
            upstreamAddress: "10.1.0.2:8080", durability: durability)
    }
}

func openRecorder(_ path: String, synchronous: RecorderConfiguration.Synchronous, bodyCap: Int = CapturedBody.defaultCap) -> Recorder {
    var c = RecorderConfiguration(path: path)
    c.synchronous = synchronous
    c.bodyCap = bodyCap
    if let f = options.checkpointFrames { c.wal.checkpointFrames = f }
    c.pageSize = options.pageSize
    do { return try Recorder(configuration: c) } catch {
        fatalError("cannot open recorder at \(path): \(error)")
    }
}

// MARK: strict

/// A producer's inbox: completions post here, the producer thread acts.
final class Mailbox: @unchecked Sendable {
    struct Event { var slot: Int; var outcome: Bool; var ok: Bool; var at: Double }
    private let lock = NSLock()
    private var events: [Event] = []
    private let signal = DispatchSemaphore(value: 0)

    func post(_ e: Event) {
        lock.lock()
        let wake = events.isEmpty
        events.append(e)
        lock.unlock()
        if wake { signal.signal() }
    }

    func take() -> [Event] {
        while true {
            lock.lock()
            if !events.isEmpty {
                let out = events
                events.removeAll(keepingCapacity: true)
                lock.unlock()
                return out
            }
            lock.unlock()
            _ = signal.wait(timeout: .now() + .milliseconds(100))
        }
    }
}

/// Per-thread results, gathered under a lock.
final class Collected<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func add(_ x: T) { lock.lock(); items.append(x); lock.unlock() }
    var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

struct StrictResult {
    var exchanges = 0
    var failures = 0
    var startLatencies: [Double] = []
    var exchangeLatencies: [Double] = []
}

func runStrict(threads: Int, inflight: Int, seconds: Double, shapes: Shapes) -> (rate: Double, result: StrictResult, stats: RecorderStatistics) {
    let path = freshPath("strict")
    defer { removeDB(path) }
    let recorder = openRecorder(path, synchronous: .full)
    let results = Collected<StrictResult>()
    let deadline = now() + seconds
    let t0 = now()
    onThreads(threads) { t in
        let box = Mailbox()
        var r = StrictResult()
        var ids = [String](repeating: "", count: inflight)
        var startedAt = [Double](repeating: 0, count: inflight)
        var idGen = RequestIDs()
        var active = 0
        func submit(_ record: AuditRecord, slot: Int, outcome: Bool) {
            while !recorder.submit(record, completion: { res in
                if case .success = res { box.post(.init(slot: slot, outcome: outcome, ok: true, at: now())) } else {
                    box.post(.init(slot: slot, outcome: outcome, ok: false, at: now()))
                }
            }) { usleep(50) }
        }
        func begin(_ slot: Int) {
            ids[slot] = idGen.make()
            startedAt[slot] = now()
            active += 1
            submit(.start(shapes.start(ids[slot], thread: t, durability: .strict, cap: CapturedBody.defaultCap)), slot: slot, outcome: false)
        }
        for slot in 0..<inflight { begin(slot) }
        while active > 0 {
            for e in box.take() {
                if !e.ok { r.failures += 1 }
                if !e.outcome {
                    r.startLatencies.append(e.at - startedAt[e.slot])
                    submit(.outcome(shapes.outcome(ids[e.slot], durability: .strict, cap: CapturedBody.defaultCap)),
                           slot: e.slot, outcome: true)
                } else {
                    active -= 1
                    r.exchanges += 1
                    r.exchangeLatencies.append(e.at - startedAt[e.slot])
                    if now() < deadline { begin(e.slot) }
                }
            }
        }
        results.add(r)
    }
    let elapsed = now() - t0
    var total = StrictResult()
    for r in results.all {
        total.exchanges += r.exchanges
        total.failures += r.failures
        total.startLatencies += r.startLatencies
        total.exchangeLatencies += r.exchangeLatencies
    }
    let stats = recorder.statistics
    recorder.close()
    return (Double(total.exchanges) / elapsed, total, stats)
}

// MARK: async

func runAsync(threads: Int, exchanges: Int, synchronous: RecorderConfiguration.Synchronous, shapes: Shapes,
              bodyCap: Int = CapturedBody.defaultCap, name: String = "async", keep: Bool = false)
    -> (rate: Double, path: String, stats: RecorderStatistics) {
    let path = freshPath(name)
    let recorder = openRecorder(path, synchronous: synchronous, bodyCap: bodyCap)
    let perThread = exchanges / threads
    let t0 = now()
    onThreads(threads) { t in
        var idGen = RequestIDs()
        for _ in 0..<perThread {
            let id = idGen.make()
            let s = AuditRecord.start(shapes.start(id, thread: t, durability: .async, cap: CapturedBody.defaultCap))
            while !recorder.submit(s) { usleep(refusedBackoffUs) }
            let o = AuditRecord.outcome(shapes.outcome(id, durability: .async, cap: CapturedBody.defaultCap))
            while !recorder.submit(o) { usleep(refusedBackoffUs) }
        }
    }
    guard recorder.flush(timeoutMs: 600_000) else { fatalError("flush timed out") }
    let elapsed = now() - t0
    let stats = recorder.statistics
    recorder.close()
    if !keep { removeDB(path) }
    return (Double(perThread * threads) / elapsed, path, stats)
}

/// How many checkpoints ran, and how many of them on the background thread.
func checkpointNote(_ s: RecorderStatistics) -> String {
    "checkpoints \(s.checkpoints) (\(s.backgroundCheckpoints) in the background)"
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    if xs.isEmpty { return 0 }
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count - 1) * p))]
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
func fmt(_ x: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", x) }

let options = Options(CommandLine.arguments)
/// How long an async producer sleeps when the queue refused a record.
let refusedBackoffUs = options.backoffUs
let baseDir = BenchDir.path
let kib = Shapes(requestBody: body(1024, seed: 1), responseBody: body(1024, seed: 2))
print("recording-bench: \(options.threads) producer threads, 1 KiB request and response bodies, db in \(baseDir)")
print("")

if options.only == nil || options.only == "strict" || options.only == "async" {
    print(pad("mode", 34) + lpad("exchanges/s", 12) + lpad("records/s", 12) + lpad("records/tx", 12) + "  notes")
}
if options.only == nil || options.only == "strict" {
    let s = runStrict(threads: options.threads, inflight: options.inflight, seconds: options.seconds, shapes: kib)
    let perTx = Double(s.result.exchanges * 2) / Double(max(s.stats.transactions, 1))
    print(pad("strict (synchronous=FULL)", 34) + lpad(fmt(s.rate), 12) + lpad(fmt(s.rate * 2), 12) + lpad(fmt(perTx, 1), 12)
          + "  \(options.threads)x\(options.inflight) in flight; start commit p50 \(fmt(percentile(s.result.startLatencies, 0.5) * 1000, 2)) ms"
          + ", p99 \(fmt(percentile(s.result.startLatencies, 0.99) * 1000, 2)) ms; failures \(s.result.failures)"
          + "; \(checkpointNote(s.stats))")
}
if options.only == nil || options.only == "async" {
    for sync in [RecorderConfiguration.Synchronous.full, .normal] {
        let a = runAsync(threads: options.threads, exchanges: options.asyncExchanges, synchronous: sync, shapes: kib)
        let perTx = Double(a.stats.committedRecords) / Double(max(a.stats.transactions, 1))
        print(pad("async (synchronous=\(sync.rawValue.uppercased()))", 34) + lpad(fmt(a.rate), 12) + lpad(fmt(a.rate * 2), 12)
              + lpad(fmt(perTx, 1), 12) + "  \(options.asyncExchanges) exchanges; rejected \(a.stats.rejectedRecords)"
              + "; \(checkpointNote(a.stats))")
    }
}
if options.only == nil || options.only == "size" {
    print("")
    print(pad("bodies (req+resp)", 20) + pad("body cap", 10) + lpad("exchanges", 10) + lpad("db bytes", 14)
          + lpad("bytes/exchange", 16) + lpad("body bytes kept", 17))
    let cases: [(Int, Int)] = [(1024, CapturedBody.defaultCap), (1024, 256), (16384, CapturedBody.defaultCap), (16384, 1024)]
    for (size, cap) in cases {
        let shapes = Shapes(requestBody: body(size, seed: 1), responseBody: body(size, seed: 2))
        let a = runAsync(threads: options.threads, exchanges: options.sizeExchanges, synchronous: .normal, shapes: shapes,
                         bodyCap: cap, name: "size", keep: true)
        let bytes = fileSize(a.path) + fileSize(a.path + "-wal")
        let n = options.sizeExchanges / options.threads * options.threads
        removeDB(a.path)
        let capText = cap >= 1 << 20 ? "\(cap >> 20) MiB" : cap >= 1024 ? "\(cap >> 10) KiB" : "\(cap) B"
        print(pad("2 x \(size >= 1024 ? "\(size >> 10) KiB" : "\(size) B")", 20) + pad(capText, 10) + lpad(String(n), 10)
              + lpad(String(bytes), 14) + lpad(fmt(Double(bytes) / Double(n)), 16) + lpad(String(2 * min(size, cap)), 17))
    }
}
