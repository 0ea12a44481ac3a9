/// Why a record was not stored, or why a store could not be opened. Every
/// case says where it came from; storage cases carry the SQLite error with
/// its extended code, message and SQL.
public enum RecordingError: Error, Sendable, CustomStringConvertible {
    /// The queue was over its bound when the record was submitted (only
    /// reported through `Recorder.submit`'s `false` return, never a callback).
    case queueFull
    /// The recorder was shut down before the record was written.
    case closed
    /// The store could not write the batch this record was in (disk full,
    /// I/O error, read-only file). Later batches are tried again.
    case storage(SQLiteError)
    /// This record alone could not be written (for example a duplicate
    /// request ID); other records in its batch were committed.
    case rejected(SQLiteError)
    /// An outcome arrived for a request ID that has no committed start.
    case unknownExchange(requestID: String)
    /// An outcome arrived for an exchange whose outcome is already recorded.
    case duplicateOutcome(requestID: String)
    /// The record contradicts itself (for example an outcome of `in_flight`).
    case invalidRecord(String)
    /// The file exists but holds no recording schema (readers only).
    case notARecording(path: String)
    /// The database file was written by a newer Gatehouse.
    case schemaTooNew(found: Int, supported: Int)
    /// Applying schema migration `version` failed.
    case migrationFailed(version: Int, SQLiteError)
    /// The database file cannot be written (permissions, read-only medium).
    case readOnly(path: String)

    public var description: String {
        switch self {
        case .queueFull: return "recording queue is full"
        case .closed: return "recorder is shut down"
        case .storage(let e): return "recording store failed: \(e)"
        case .rejected(let e): return "record rejected: \(e)"
        case .unknownExchange(let id): return "outcome for unknown exchange \(id): its start was never committed"
        case .duplicateOutcome(let id): return "outcome for exchange \(id) is already recorded"
        case .invalidRecord(let why): return "invalid record: \(why)"
        case .notARecording(let path): return "\(path) is not a Gatehouse recording (no schema)"
        case .schemaTooNew(let found, let supported):
            return "recording schema version \(found) is newer than this build supports (\(supported))"
        case .migrationFailed(let v, let e): return "recording schema migration \(v) failed: \(e)"
        case .readOnly(let path): return "recording database \(path) is read-only"
        }
    }
}
