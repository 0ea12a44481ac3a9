/// Fast byte appends. `Array.append(contentsOf:)` with an
/// `UnsafeRawBufferPointer` walks the bytes one at a time (a raw buffer offers
/// no typed contiguous storage), which showed up as the top entry of the
/// proxy's instruction profile. These go through a typed buffer: one memcpy.
extension Array where Element == UInt8 {
    @inlinable
    public mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    /// Appends a compile-time ASCII/UTF-8 literal without building an Array or String.
    @inlinable
    public mutating func appendLiteral(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
