import TLS

/// Recently verified tokens, keyed by the SHA-256 of the token (the token
/// itself is not kept), each until the token's `exp`, at most `capacity`
/// entries with least-recently-used eviction.
///
/// Not thread-safe by design: one cache per event loop, so a hit takes no
/// lock. `IdentityStage` keeps one per thread.
public final class VerifiedTokenCache {
    struct Key: Hashable {
        var a: UInt64, b: UInt64, c: UInt64, d: UInt64
        init(_ digest: [UInt8]) {
            func word(_ i: Int) -> UInt64 {
                var v: UInt64 = 0
                for j in 0..<8 { v = v << 8 | UInt64(digest[i * 8 + j]) }
                return v
            }
            a = word(0); b = word(1); c = word(2); d = word(3)
        }
    }

    private struct Entry {
        var identity: VerifiedIdentity
        /// Which issuer (config name) verified it.
        var issuerName: String
        var prev: Int
        var next: Int
    }

    public let capacity: Int
    private var index: [Key: Int] = [:]
    private var entries: [Entry] = []
    private var keys: [Key] = []
    private var head = -1  // most recently used
    private var tail = -1  // least recently used
    private var freeSlots: [Int] = []

    public init(capacity: Int = 10_000) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public var count: Int { index.count }

    /// The cache key for a token.
    public static func key(for token: [UInt8]) -> [UInt8] { SHA256.hash(token) }

    /// The identity cached for `digest` if still valid at `now` (Unix seconds).
    public func lookup(digest: [UInt8], now: Int64) -> (identity: VerifiedIdentity, issuerName: String)? {
        let k = Key(digest)
        guard let i = index[k] else { return nil }
        if now >= entries[i].identity.expiresAt {
            remove(i, key: k)
            return nil
        }
        moveToFront(i)
        return (entries[i].identity, entries[i].issuerName)
    }

    /// Remembers a verified token until its `exp`.
    public func insert(digest: [UInt8], identity: VerifiedIdentity, issuerName: String) {
        let k = Key(digest)
        if let i = index[k] {
            entries[i].identity = identity
            entries[i].issuerName = issuerName
            moveToFront(i)
            return
        }
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            entries[slot] = Entry(identity: identity, issuerName: issuerName, prev: -1, next: -1)
            keys[slot] = k
        } else if entries.count < capacity {
            slot = entries.count
            entries.append(Entry(identity: identity, issuerName: issuerName, prev: -1, next: -1))
            keys.append(k)
        } else {
            slot = tail
            unlink(slot)
            index[keys[slot]] = nil
            entries[slot] = Entry(identity: identity, issuerName: issuerName, prev: -1, next: -1)
            keys[slot] = k
        }
        index[k] = slot
        linkFront(slot)
    }

    private func remove(_ i: Int, key: Key) {
        unlink(i)
        index[key] = nil
        freeSlots.append(i)  // reused by the next insert
    }

    private func unlink(_ i: Int) {
        let p = entries[i].prev, n = entries[i].next
        if p >= 0 { entries[p].next = n } else if head == i { head = n }
        if n >= 0 { entries[n].prev = p } else if tail == i { tail = p }
        entries[i].prev = -1
        entries[i].next = -1
    }

    private func linkFront(_ i: Int) {
        entries[i].prev = -1
        entries[i].next = head
        if head >= 0 { entries[head].prev = i }
        head = i
        if tail < 0 { tail = i }
    }

    private func moveToFront(_ i: Int) {
        guard head != i else { return }
        unlink(i)
        linkFront(i)
    }
}
