internal import Glibc

/// Shannon entropy in bits per byte, used to tell real secrets from
/// placeholders (`xxxxxxxx`, `changeme`) after a key word like `password=`.
enum Entropy {
    static func bitsPerByte(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Double {
        let n = range.count
        guard n > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 256) { counts in
            counts.initialize(repeating: 0)
            for i in range { counts[Int(bytes[i])] &+= 1 }
            var h = 0.0
            let total = Double(n)
            for c in counts where c != 0 {
                let p = Double(c) / total
                h -= p * log2(p)
            }
            return h
        }
    }

    /// Character-class mix: how many of lower, upper, digit, other appear.
    static func classCount(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        var lower = false, upper = false, digit = false, other = false
        for i in range {
            let b = bytes[i]
            if ByteClass.isLower(b) { lower = true } else if ByteClass.isUpper(b) { upper = true }
            else if ByteClass.isDigit(b) { digit = true } else { other = true }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0)
    }
}
