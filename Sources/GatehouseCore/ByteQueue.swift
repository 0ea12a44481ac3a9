/// A FIFO of bytes: appended at the back, consumed from the front, without
/// moving memory on every consume. Used for per-connection input leftovers
/// and pending output. Compacts only when the dead prefix dominates, and
/// gives its storage back when emptied with `releaseIfEmpty`, so an idle
/// keep-alive connection holds no buffer at all.
public struct ByteQueue {
    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var start = 0

    public init() {}

    @inlinable public var count: Int { storage.count - start }
    @inlinable public var isEmpty: Bool { storage.count == start }

    /// Bytes currently held (capacity included), for memory accounting.
    public var capacity: Int { storage.capacity }

    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty { return }
        compactIfWorthIt(adding: bytes.count)
        storage.appendBytes(bytes)
    }

    @inlinable
    public mutating func append(_ bytes: [UInt8]) {
        if bytes.isEmpty { return }
        compactIfWorthIt(adding: bytes.count)
        storage.append(contentsOf: bytes)
    }

    @inlinable
    public mutating func append(_ byte: UInt8) {
        storage.append(byte)
    }

    /// Gives direct access to the back of the queue for serializers.
    @inlinable
    public mutating func withAppendableArray<R>(_ body: (inout [UInt8]) -> R) -> R {
        compactIfWorthIt(adding: 256)
        return body(&storage)
    }

    /// Drops `n` bytes from the front.
    @inlinable
    public mutating func consume(_ n: Int) {
        start += n
        if start == storage.count {
            storage.removeAll(keepingCapacity: true)
            start = 0
        }
    }

    /// Calls `body` with the unconsumed bytes.
    @inlinable
    public func withReadable<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[start...]))
        }
    }

    /// Returns the unconsumed bytes as an array (copies).
    public func readableBytes() -> [UInt8] { Array(storage[start...]) }

    /// Frees the storage if the queue is empty (idle connections keep nothing).
    @inlinable
    public mutating func releaseIfEmpty() {
        if isEmpty && storage.capacity > 0 { storage = []; start = 0 }
    }

    public mutating func removeAll() { storage = []; start = 0 }

    @usableFromInline
    mutating func compactIfWorthIt(adding: Int) {
        if start > 0 && (start >= 64 * 1024 || start > storage.count / 2) {
            storage.removeSubrange(0..<start)
            start = 0
        }
    }
}
