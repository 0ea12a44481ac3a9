/// A body as recorded: its first `cap` bytes plus its full length. Event
/// loops build it while streaming (`append` per chunk) so memory stays
/// bounded by the cap whatever the body's size.
public struct CapturedBody: Sendable, Equatable {
    /// The recorder's default cap: 1 MiB.
    public static let defaultCap = 1 << 20

    public private(set) var bytes: [UInt8]
    /// Every byte seen, kept or not.
    public private(set) var totalLength: Int
    public let cap: Int

    /// The body did not arrive in full: the exchange ended (the client
    /// left, the upstream answered and closed, a limit or a timeout hit)
    /// before its last byte was forwarded. Recorded as truncated.
    public var incomplete = false

    /// True when bytes beyond the cap were dropped, or the body is incomplete.
    public var truncated: Bool { totalLength > bytes.count || incomplete }

    /// An empty capture keeping at most `cap` bytes.
    public init(cap: Int = CapturedBody.defaultCap) {
        self.cap = max(cap, 0)
        self.bytes = []
        self.totalLength = 0
    }

    /// A capture of a complete body.
    public init(_ body: [UInt8], cap: Int = CapturedBody.defaultCap) {
        self.init(cap: cap)
        append(body)
    }

    /// A body as stored earlier: the bytes kept and the size it had
    /// (`totalLength` ≥ `bytes.count`; larger means it was cut).
    init(restoring bytes: [UInt8], totalLength: Int) {
        self.cap = bytes.count
        self.bytes = bytes
        self.totalLength = max(totalLength, bytes.count)
    }

    /// Appends one chunk (after masking), keeping only what fits the cap.
    public mutating func append(_ chunk: some Collection<UInt8>) {
        totalLength += chunk.count
        let room = cap - bytes.count
        if room <= 0 { return }
        if chunk.count <= room { bytes.append(contentsOf: chunk) } else { bytes.append(contentsOf: chunk.prefix(room)) }
    }

    /// Appends one chunk from memory: one copy, no per-element iteration
    /// (the generic `append` is not specialized across modules).
    public mutating func append(_ chunk: UnsafeRawBufferPointer) {
        totalLength += chunk.count
        let room = cap - bytes.count
        if room <= 0 { return }
        bytes.append(contentsOf: chunk.count <= room ? chunk : UnsafeRawBufferPointer(rebasing: chunk[..<room]))
    }

    /// The same body under a smaller cap (the recorder applies its own).
    func capped(to limit: Int) -> CapturedBody {
        if limit >= bytes.count { return self }
        var c = self
        c.bytes.removeSubrange(max(limit, 0)...)
        return c
    }
}
