// inspect-bench: the inspection engine and the policy evaluator alone, on
// one thread, without the gateway (Docs/BENCHMARKS.md, "Inspection").
//
// Input: the corpus and pattern list written by make-corpus.py (about 1 MiB
// of JSON API responses with ~1% PII, and 1,000 named custom patterns).
//
// Reports, each as the median of `--rounds` timed rounds after a warm-up:
// - scan+mask (`Inspector.scanJSON` then `Masker.maskJSON`, redact all) of
//   the corpus as one JSON body (the responses in one array) and response by
//   response, with the default detectors; MB/s by wall clock and by the
//   thread's CPU time (the second is what "per core" means on a shared box).
//   Without JSON pointers, as the gateway's detector masking scans; also
//   the whole body with pointers (what field rules need);
// - the same whole-body scan+mask with 10 and with 1,000 custom patterns
//   added to the detectors, and their cost ratio;
// - one evaluation of a 50-rule policy for a GET and for a 1.8 KB JSON POST.
//
// Usage: python3 Benchmarks/inspect/make-corpus.py --out .build/inspect-bench
//        swift run -c release inspect-bench [--dir .build/inspect-bench]
//        [--rounds 7] [--min-seconds 0.5] [--only scan|patterns|policy]
//        [--profile N [--custom K]]  (only N untimed scan+masks of the whole
//                       body, with the first K custom patterns, for callgrind)
//        [--attribution] (only: the raw-text scan cost of each detector alone)
//        [--findings]   (only list the findings with all patterns: offset, kind, raw text)
import Foundation
import GatehouseCore
import HTTP1
import Inspection
import Policy

struct Options {
    var dir = ".build/inspect-bench"
    var rounds = 7
    var minSeconds = 0.5
    var only: String? = nil
    var profileCalls = 3
    var profileCustom = 0

    init(_ args: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fail("missing value for \(args[i - 1])") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--dir": dir = value()
            case "--rounds": rounds = Int(value()) ?? 7
            case "--min-seconds": minSeconds = Double(value()) ?? 0.5
            case "--only": only = value()
            case "--findings": only = "findings"
            case "--attribution": only = "attribution"
            case "--profile": only = "profile"; profileCalls = Int(value()) ?? 3
            case "--custom": profileCustom = Int(value()) ?? 0
            default: fail("unknown argument \(args[i])")
            }
            i += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("inspect-bench: \(message)\n".utf8))
    exit(2)
}

/// Wall and thread CPU time of `rounds` timed rounds; each round repeats
/// `body` until `minSeconds` of wall time have passed.
struct Timing {
    var perCallWall: [Double] = []
    var perCallCPU: [Double] = []

    static func measure(rounds: Int, minSeconds: Double, _ body: () -> Void) -> Timing {
        body()  // warm-up: scratch buffers, page faults
        var t = Timing()
        for _ in 0..<rounds {
            var calls = 0
            let w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID)
            var w1 = w0
            repeat {
                body()
                calls += 1
                w1 = now(CLOCK_MONOTONIC)
            } while w1 - w0 < minSeconds && calls < 1_000_000
            let c1 = now(CLOCK_THREAD_CPUTIME_ID)
            t.perCallWall.append((w1 - w0) / Double(calls))
            t.perCallCPU.append((c1 - c0) / Double(calls))
        }
        return t
    }

    static func now(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    var wall: Double { Self.median(perCallWall) }
    var cpu: Double { Self.median(perCallCPU) }
}

struct Corpus {
    /// One response per element.
    let responses: [[UInt8]]
    /// All responses as one JSON array.
    let whole: [UInt8]

    init(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("\(path) not found; run: python3 Benchmarks/inspect/make-corpus.py --out \((path as NSString).deletingLastPathComponent)")
        }
        responses = data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        var w: [UInt8] = [UInt8(ascii: "[")]
        for (i, r) in responses.enumerated() {
            if i > 0 { w.append(UInt8(ascii: ",")) }
            w.append(contentsOf: r)
        }
        w.append(UInt8(ascii: "]"))
        whole = w
    }
}

/// The custom patterns from patterns.json: `[{"name", "regex", "caseless"}]`.
func loadPatterns(_ path: String) -> [CustomPattern] {
    guard let data = FileManager.default.contents(atPath: path),
          let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { fail("cannot read \(path)") }
    return list.map {
        CustomPattern(name: $0["name"] as? String ?? "", expression: $0["regex"] as? String ?? "", caseless: $0["caseless"] as? Bool ?? false)
    }
}

/// One scan+mask of `body`; returns the number of findings. Without JSON
/// pointers by default, as the gateway's detector masking scans (only field
/// rules need each finding's pointer: `pointers: true`).
@inline(never)
func scanAndMask(_ inspector: Inspector, _ scratch: PatternScratch, _ body: [UInt8], pointers: Bool = false) -> Int {
    body.withUnsafeBytes { raw in
        do {
            let findings = try inspector.scanJSON(raw, scratch: scratch, pointers: pointers)
            let masked = Masker.maskJSON(raw, findings: findings, plan: .all(.redact))
            return findings.count + (masked == nil ? 0 : 0)
        } catch {
            fail("scan failed: \(error)")
        }
    }
}

func mbps(_ bytes: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(bytes) / seconds / 1e6) }
func row(_ cells: String...) { print("| " + cells.joined(separator: " | ") + " |") }

let options = Options(CommandLine.arguments)
let corpus = Corpus(path: options.dir + "/corpus.jsonl")
let bytes = corpus.whole.count
print("corpus: \(corpus.responses.count) responses, \(bytes) bytes; \(options.rounds) rounds, medians")
print("")

func inspector(_ patterns: [CustomPattern]) -> (Inspector, PatternScratch, Double) {
    let t0 = Timing.now(CLOCK_MONOTONIC)
    do {
        let i = try Inspector(InspectorConfiguration(customPatterns: patterns))
        let compile = Timing.now(CLOCK_MONOTONIC) - t0
        return (i, try i.makeScratch(), compile)
    } catch {
        fail("compile failed: \(error)")
    }
}

if options.only == nil || options.only == "scan" {
    let (ins, scratch, _) = inspector([])
    var findings = 0
    let whole = Timing.measure(rounds: options.rounds, minSeconds: options.minSeconds) {
        findings = scanAndMask(ins, scratch, corpus.whole)
    }
    var perResponseFindings = 0
    let each = Timing.measure(rounds: options.rounds, minSeconds: options.minSeconds) {
        perResponseFindings = 0
        for r in corpus.responses { perResponseFindings += scanAndMask(ins, scratch, r) }
    }
    let scanOnly = Timing.measure(rounds: options.rounds, minSeconds: options.minSeconds) {
        corpus.whole.withUnsafeBytes { findings = (try? ins.scanJSON($0, scratch: scratch, pointers: false).count) ?? -1 }
    }
    var pointerFindings = 0
    let withPointers = Timing.measure(rounds: options.rounds, minSeconds: options.minSeconds) {
        pointerFindings = scanAndMask(ins, scratch, corpus.whole, pointers: true)
    }
    guard pointerFindings == findings else { fail("\(pointerFindings) findings with pointers, \(findings) without") }
    print("scan+mask, default detectors (\(findings) findings whole, \(perResponseFindings) response by response)")
    print("")
    row("input", "MB/s (CPU time)", "MB/s (wall)", "time per MiB")
    row("---", "---:", "---:", "---:")
    row("1 MiB body, scan+mask", mbps(bytes, whole.cpu), mbps(bytes, whole.wall), String(format: "%.2f ms", whole.cpu * 1e3 * 1_048_576 / Double(bytes)))
    row("\(corpus.responses.count) bodies, scan+mask", mbps(bytes, each.cpu), mbps(bytes, each.wall), String(format: "%.2f ms", each.cpu * 1e3 * 1_048_576 / Double(bytes)))
    row("1 MiB body, scan only", mbps(bytes, scanOnly.cpu), mbps(bytes, scanOnly.wall), String(format: "%.2f ms", scanOnly.cpu * 1e3 * 1_048_576 / Double(bytes)))
    row("1 MiB body, scan+mask with JSON pointers (field rules)", mbps(bytes, withPointers.cpu), mbps(bytes, withPointers.wall),
        String(format: "%.2f ms", withPointers.cpu * 1e3 * 1_048_576 / Double(bytes)))
    print("")
}

if options.only == nil || options.only == "patterns" {
    let all = loadPatterns(options.dir + "/patterns.json")
    guard all.count >= 1000 else { fail("patterns.json has \(all.count) patterns, need 1000") }
    var results: [(Int, Timing, Double, Int)] = []
    for n in [0, 10, 1000] {
        let (ins, scratch, compile) = inspector(Array(all.prefix(n)))
        var findings = 0
        let t = Timing.measure(rounds: options.rounds, minSeconds: options.minSeconds) {
            findings = scanAndMask(ins, scratch, corpus.whole)
        }
        results.append((n, t, compile, findings))
    }
    print("custom patterns added to the default detectors (1 MiB body, scan+mask)")
    print("")
    row("custom patterns", "findings", "MB/s (CPU time)", "MB/s (wall)", "compile", "cost ÷ 10 patterns")
    row("---", "---:", "---:", "---:", "---:", "---:")
    let base = results[1].1.cpu
    for (n, t, compile, findings) in results {
        row("\(n)", "\(findings)", mbps(bytes, t.cpu), mbps(bytes, t.wall), String(format: "%.0f ms", compile * 1e3),
            String(format: "%.2f×", t.cpu / base))
    }
    print("")
}

if options.only == nil || options.only == "policy" {
    let policy: CompiledPolicy
    let result = PolicyCompiler.compile([PolicySource(path: "bench.json", text: PolicyBench.text)])
    guard let p = result.policy else { fail("policy: \(result.diagnostics.map(\.description).joined(separator: "\n"))") }
    policy = p
    let evaluator = PolicyEvaluator(policy: policy)
    let scratch: PatternScratch
    do { scratch = try evaluator.makeScratch() } catch { fail("scratch: \(error)") }
    print("policy evaluation, \(policy.rules.count) rules, one evaluation on one thread")
    print("")
    row("request", "µs (CPU time)", "µs (wall)", "evaluations/s per core")
    row("---", "---:", "---:", "---:")
    for (name, request) in [("GET, no body rule applies", PolicyBench.get),
                            ("POST MCP tools/call, \(PolicyBench.postBody.count) B JSON", PolicyBench.post)] {
        var allowed = true
        let t = Timing.measure(rounds: options.rounds, minSeconds: options.minSeconds) {
            allowed = evaluator.evaluate(request, scratch: scratch).outcome.isAllowed
        }
        guard allowed else { fail("\(name): not allowed") }
        row(name, String(format: "%.2f", t.cpu * 1e6), String(format: "%.2f", t.wall * 1e6), String(format: "%.0f", 1 / t.cpu))
    }
    print("")
}

if options.only == "findings" {
    let (ins, scratch, _) = inspector(loadPatterns(options.dir + "/patterns.json"))
    guard let data = FileManager.default.contents(atPath: options.dir + "/expected.json"),
          let planted = try? JSONSerialization.jsonObject(with: data) as? [String] else { fail("cannot read expected.json") }
    var expected: [String: Int] = [:]
    for v in planted { expected[v, default: 0] += 1 }
    corpus.whole.withUnsafeBytes { raw in
        guard let findings = try? ins.scanJSON(raw, scratch: scratch) else { fail("scan failed") }
        var counts: [String: Int] = [:]
        var unplanted: [String] = []
        for f in findings {
            let text = String(decoding: raw[f.range], as: UTF8.self)
            counts[f.kind.label, default: 0] += 1
            print("\(f.range.lowerBound) \(f.kind.label) \(text.debugDescription)")
            guard case .detector = f.kind else { continue }
            // The raw text may hold JSON escapes: decode it as a JSON string.
            let decoded = (try? JSONSerialization.jsonObject(with: Data(("\"" + text + "\"").utf8), options: .fragmentsAllowed)) as? String ?? text
            if let n = expected[decoded], n > 0 { expected[decoded] = n - 1 } else { unplanted.append("\(f.kind.label) \(text)") }
        }
        print(counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        let missed = expected.filter { $0.value > 0 }.keys.sorted()
        print("planted: \(planted.count), missed: \(missed.count) \(missed), detector findings not planted: \(unplanted.count) \(unplanted)")
    }
}

if options.only == "profile" {
    let custom = options.profileCustom > 0 ? Array(loadPatterns(options.dir + "/patterns.json").prefix(options.profileCustom)) : []
    let (ins, scratch, _) = inspector(custom)
    var findings = 0
    for _ in 0..<options.profileCalls { findings += scanAndMask(ins, scratch, corpus.whole) }
    print("\(options.profileCalls) scan+masks, \(findings) findings")
}

if options.only == "attribution" {
    print("raw-text scan (hs + validators, no JSON walk) of the 1 MiB body, one detector at a time")
    print("")
    row("detectors", "MB/s (CPU time)", "ms per MiB")
    row("---", "---:", "---:")
    var sets: [(String, Set<Detector>)] = Detector.allCases.map { ($0.rawValue, [$0]) }
    sets.append(("default set", Detector.defaultSet))
    for (name, set) in sets {
        guard let ins = try? Inspector(InspectorConfiguration(detectors: set)), let scratch = try? ins.makeScratch() else { fail("compile \(name)") }
        let t = Timing.measure(rounds: options.rounds, minSeconds: options.minSeconds) {
            corpus.whole.withUnsafeBytes { _ = try? ins.scan($0, scratch: scratch) }
        }
        row(name, mbps(bytes, t.cpu), String(format: "%.2f", t.cpu * 1e3 * 1_048_576 / Double(bytes)))
    }
    print("")
}
