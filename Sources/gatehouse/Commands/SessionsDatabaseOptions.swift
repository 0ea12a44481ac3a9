#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import GatewayConfig
import Recording

/// `--db PATH` or `--config PATH`: which recording database to read.
struct SessionsDatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The recording database (SQLite file).")
    var db: String?

    @Option(name: .long, help: "A gatehouse config; its recording.path is the database.")
    var config: String?

    /// The database path: `--db`, or the `recording.path` of `--config`.
    func databasePath() throws(SessionsFailure) -> String {
        switch (db, config) {
        case (let db?, nil):
            return db
        case (nil, let config?):
            switch ConfigLoader.load(path: config) {
            case .failure(let errors):
                throw SessionsFailure("cannot load \(config):\n\(errors.description)")
            case .success(let loaded):
                guard let recording = loaded.recording else {
                    throw SessionsFailure("\(config) has no \"recording\" section, so there is no recording database")
                }
                return recording.path
            }
        case (.some, .some):
            throw SessionsFailure("give either --db or --config, not both")
        case (nil, nil):
            throw SessionsFailure("no recording database: give --db PATH or --config PATH")
        }
    }

    /// A read-only reader of the database; safe while the daemon writes.
    func openReader() throws(SessionsFailure) -> (reader: RecordingReader, path: String) {
        let path = try databasePath()
        if access(path, F_OK) != 0 {
            throw SessionsFailure("no recording database at \(path)")
        }
        do {
            return (try RecordingReader(path: path), path)
        } catch {
            throw SessionsFailure("cannot read recording database \(path): \(error)")
        }
    }
}
