#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Recording

/// Where a `sessions` subcommand writes its normal output: standard output
/// when run from the command line, a buffer in tests.
final class SessionsOutput {
    private let sink: ([UInt8]) -> Void

    /// An output that hands every write to `sink`.
    init(_ sink: @escaping ([UInt8]) -> Void) {
        self.sink = sink
    }

    /// Unbuffered writes to file descriptor 1.
    static func standardOutput() -> SessionsOutput {
        SessionsOutput { bytes in
            var off = 0
            while off < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + off, $0.count - off) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                off += n
            }
        }
    }

    func write(_ text: String) { sink(Array(text.utf8)) }
    func write(bytes: [UInt8]) { sink(bytes) }
}

/// A problem that ends a `sessions` subcommand: printed to standard error
/// as `gatehouse: <message>`, exit status 1.
struct SessionsFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The shared `run()` of the `sessions` subcommands.
protocol SessionsSubcommand: ParsableCommand {
    /// Does the work, writing normal output to `out`. `now` is the current
    /// time in Unix milliseconds, for relative `--since`/`--until`.
    func perform(to out: SessionsOutput, now: Int64) throws
}

extension SessionsSubcommand {
    func run() throws {
        do {
            try perform(to: .standardOutput(), now: RecordingClock.nowMillis())
        } catch let failure as SessionsFailure {
            printToStderr("gatehouse: \(failure.message)")
            throw ExitCode(1)
        } catch let error as RecordingError {
            printToStderr("gatehouse: \(error)")
            throw ExitCode(1)
        }
    }
}
