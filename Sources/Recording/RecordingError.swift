import GatehouseCore

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
    /// The batch was committed but flushing the WAL to disk failed, so the
    /// record is not known to be durable (strict mode; see `WALSyncer`).
    case walSyncFailed(SystemError)
    /// A start arrived while an exchange with the same request ID is in
    /// flight; other records in its batch were committed.
    case duplicateStart(requestID: String)
    /// An outcome arrived for a request ID that is not in flight: its start
    /// was never committed, its outcome is already recorded, or it started
    /// before this recorder opened.
    case unknownExchange(requestID: String)
    /// The record contradicts itself (for example an outcome of `in_flight`).
    case invalidRecord(String)
    /// A block's `records` document could not be read back (readers only).
    case corruptBlock(id: Int64, reason: String)
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
        case .walSyncFailed(let e): return "recording WAL could not be flushed to disk: \(e)"
        case .duplicateStart(let id): return "start for exchange \(id) refused: an exchange with that request ID is in flight"
        case .unknownExchange(let id):
            return "outcome for exchange \(id) refused: no such exchange is in flight (its start was never committed, it already has an outcome, or it was started before the recorder last opened)"
        case .invalidRecord(let why): return "invalid record: \(why)"
        case .corruptBlock(let id, let reason): return "recording block \(id) cannot be read: \(reason)"
        case .notARecording(let path): return "\(path) is not a Gatehouse recording (no schema)"
        case .schemaTooNew(let found, let supported):
            return "recording schema version \(found) is newer than this build supports (\(supported))"
        case .migrationFailed(let v, let e): return "recording schema migration \(v) failed: \(e)"
        case .readOnly(let path): return "recording database \(path) is read-only"
        }
    }
}
