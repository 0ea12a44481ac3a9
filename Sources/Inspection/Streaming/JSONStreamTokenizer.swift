/// Which channel JSON text goes to. `single`: every string and number of a
/// body in one channel, separated (a chunked JSON document). `perPath`: the
/// string values at one JSON path run together across documents (the
/// events of an SSE stream, where a model's text is split over `delta`
/// strings), while keys and numbers get separated channels of their own.
struct JSONChannels {
    let perPath: Bool
    private var byPath: [[UInt8]: Int] = [:]
    private var keys = -1
    private var numbers = -1
    private var overflow = -1
    static let maxPaths = 64

    /// Path channels that received a value in the current event.
    private var touched: Set<Int> = []

    init(perPath: Bool) { self.perPath = perPath }

    /// An SSE event with data ended: path channels it gave no value to end
    /// their run (a value at that path in a later event starts afresh), so
    /// an event is never held back by a path that does not come again; keys
    /// and numbers end theirs at every event.
    mutating func endEvent(_ out: inout StreamOutput) {
        for c in byPath.values where !touched.contains(c) && out.channels[c].hasUncommitted { out.endRun(c) }
        // keys and numbers never continue into another event
        for c in [keys, numbers, overflow] where c >= 0 && out.channels[c].hasUncommitted { out.endRun(c) }
        touched.removeAll(keepingCapacity: true)
    }

    mutating func forKey(_ out: inout StreamOutput) -> Int {
        let c = keys >= 0 ? keys : out.addChannel()
        keys = c
        return separated(c, &out)
    }

    mutating func forNumber(_ out: inout StreamOutput) -> Int {
        if !perPath { return forKey(&out) }
        let c = numbers >= 0 ? numbers : out.addChannel()
        numbers = c
        return separated(c, &out)
    }

    mutating func forString(path: [UInt8], _ out: inout StreamOutput) -> Int {
        if !perPath { return forKey(&out) }
        if let c = byPath[path] { touched.insert(c); return c }
        if byPath.count >= Self.maxPaths {
            let c = overflow >= 0 ? overflow : out.addChannel()
            overflow = c
            return separated(c, &out)
        }
        let c = out.addChannel()
        byPath[path] = c
        touched.insert(c)
        return c
    }

    private mutating func separated(_ c: Int, _ out: inout StreamOutput) -> Int {
        out.channels[c].separate()
        if perPath { touched.insert(c) }
        return c
    }
}

/// An incremental, validating JSON tokenizer (RFC 8259 structure, escapes
/// and surrogate pairs; UTF-8 passes through as bytes) that turns a body fed
/// in arbitrary pieces into output units: punctuation and literals as
/// `literal`, string contents as decoded `jsonString` pieces, numbers as
/// whole `jsonNumber` pieces. An escape or number split across feeds is
/// completed before it is queued. Several top-level values in a row are
/// accepted (NDJSON).
struct JSONStreamTokenizer {
    private enum Expect { case value, valueOrClose, keyOrClose, key, colon, commaOrClose }
    private enum Lex { case structure, string, escape, unicode(count: Int, value: UInt32), number, word(Int) }
    private struct Frame {
        var isObject: Bool
        var index = 0
        var key: [UInt8] = []
    }

    private var expect = Expect.value
    private var lex = Lex.structure
    private var stack: [Frame] = []
    private var lit: [UInt8] = []
    // current string
    private var inKey = false
    private var channel = 0
    private var decoded: [UInt8] = []
    private var raw: [UInt8] = []
    private var escaped = false
    private var rawDone = 0
    private var decodedDone = 0
    private var high: UInt32?
    private var keyText: [UInt8] = []
    // current number or literal word
    private var number: [UInt8] = []
    private var word: [UInt8] = []

    static let maxNumber = 512
    static let maxKeyPath = 256
    static let maxDepth = 128

    /// Between top-level values: a body may end here.
    var atBoundary: Bool {
        if case .structure = lex { return stack.isEmpty && expect == .value } else { return false }
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ out: inout StreamOutput,
                       _ channels: inout JSONChannels) throws(StreamMaskError) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch lex {
            case .string:
                if high != nil && b != 0x5C { throw .malformedJSON("unpaired surrogate escape") }
                // copy the run of plain bytes at once
                var j = i
                while j < n, bytes[j] != 0x22, bytes[j] != 0x5C, bytes[j] >= 0x20 { j += 1 }
                if j > i {
                    let run = UnsafeRawBufferPointer(rebasing: bytes[i..<j])
                    decoded.append(contentsOf: run)
                    raw.append(contentsOf: run)
                    if inKey && keyText.count < Self.maxKeyPath { keyText.append(contentsOf: run.prefix(Self.maxKeyPath - keyText.count)) }
                    rawDone = raw.count
                    decodedDone = decoded.count
                    i = j
                    continue
                }
                if b == 0x22 {
                    flushString(&out)
                    lit.append(0x22)
                    lex = .structure
                    if inKey {
                        stack[stack.count - 1].key = keyText
                        expect = .colon
                    } else {
                        valueDone()
                    }
                } else if b == 0x5C {
                    raw.append(b)
                    escaped = true
                    lex = .escape
                } else {
                    throw .malformedJSON("control character in a string")
                }
                i += 1
            case .escape:
                raw.append(b)
                if high != nil && b != 0x75 { throw .malformedJSON("unpaired surrogate escape") }
                let d: UInt8
                switch b {
                case 0x22, 0x5C, 0x2F: d = b
                case 0x62: d = 0x08
                case 0x66: d = 0x0C
                case 0x6E: d = 0x0A
                case 0x72: d = 0x0D
                case 0x74: d = 0x09
                case 0x75: lex = .unicode(count: 0, value: 0); i += 1; continue
                default: throw .malformedJSON("invalid escape")
                }
                appendDecoded([d])
                lex = .string
                i += 1
            case .unicode(let count, let value):
                raw.append(b)
                guard ByteClass.isHex(b) else { throw .malformedJSON("invalid \\u escape") }
                let v = value << 4 | UInt32(ByteClass.hexValue(b))
                if count < 3 {
                    lex = .unicode(count: count + 1, value: v)
                } else {
                    lex = .string
                    if let h = high {
                        guard v >= 0xDC00 && v <= 0xDFFF else { throw .malformedJSON("unpaired surrogate escape") }
                        high = nil
                        appendDecoded(Self.utf8(0x10000 + ((h - 0xD800) << 10) + (v - 0xDC00)))
                    } else if v >= 0xD800 && v <= 0xDBFF {
                        high = v
                    } else if v >= 0xDC00 && v <= 0xDFFF {
                        throw .malformedJSON("unpaired surrogate escape")
                    } else {
                        appendDecoded(Self.utf8(v))
                    }
                }
                i += 1
            case .number:
                if ByteClass.isDigit(b) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45 {
                    number.append(b)
                    if number.count > Self.maxNumber { throw .malformedJSON("number too long") }
                    i += 1
                } else {
                    try endNumber(&out, &channels)  // b is read again as structure
                }
            case .word(let k):
                guard k < word.count, b == word[k] else { throw .malformedJSON("invalid literal") }
                lit.append(b)
                if k + 1 == word.count { lex = .structure; valueDone() } else { lex = .word(k + 1) }
                i += 1
            case .structure:
                try structure(b, &out, &channels)
                i += 1
            }
        }
        // end of this feed: queue what is complete
        if case .structure = lex {} else if case .number = lex {} else if case .word = lex {} else {
            flushString(&out)
        }
        flushLiteral(&out)
    }

    /// A line of SSE data ended: a number cannot continue on the next line.
    mutating func endLine(_ out: inout StreamOutput, _ channels: inout JSONChannels) throws(StreamMaskError) {
        if case .number = lex { try endNumber(&out, &channels); flushLiteral(&out) }
        switch lex {
        case .structure: return
        default: throw .malformedJSON("a string or literal is cut by a line end")
        }
    }

    /// The body ended: it must end between values.
    mutating func finish(_ out: inout StreamOutput, _ channels: inout JSONChannels) throws(StreamMaskError) {
        if case .number = lex { try endNumber(&out, &channels) }
        flushLiteral(&out)
        if !atBoundary { throw .malformedJSON("the body ends inside a value") }
    }

    private mutating func structure(_ b: UInt8, _ out: inout StreamOutput, _ channels: inout JSONChannels) throws(StreamMaskError) {
        let wantValue = expect == .value || expect == .valueOrClose
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D:
            lit.append(b)
        case 0x22 where expect == .value || expect == .valueOrClose || expect == .keyOrClose || expect == .key:
            inKey = expect == .keyOrClose || expect == .key
            lit.append(b)
            flushLiteral(&out)
            channel = inKey ? channels.forKey(&out) : channels.forString(path: channels.perPath ? path() : [], &out)
            decoded.removeAll(keepingCapacity: true)
            raw.removeAll(keepingCapacity: true)
            keyText.removeAll(keepingCapacity: true)
            escaped = false
            rawDone = 0
            decodedDone = 0
            lex = .string
        case 0x7B where wantValue:
            lit.append(b)
            if stack.count >= Self.maxDepth { throw .malformedJSON("nesting too deep") }
            stack.append(Frame(isObject: true))
            expect = .keyOrClose
        case 0x5B where wantValue:
            lit.append(b)
            if stack.count >= Self.maxDepth { throw .malformedJSON("nesting too deep") }
            stack.append(Frame(isObject: false))
            expect = .valueOrClose
        case 0x7D where (expect == .keyOrClose || expect == .commaOrClose) && stack.last?.isObject == true,
             0x5D where (expect == .valueOrClose || expect == .commaOrClose) && stack.last?.isObject == false:
            lit.append(b)
            stack.removeLast()
            valueDone()
        case 0x2C where expect == .commaOrClose:
            lit.append(b)
            if stack[stack.count - 1].isObject { expect = .key } else { stack[stack.count - 1].index += 1; expect = .value }
        case 0x3A where expect == .colon:
            lit.append(b)
            expect = .value
        case 0x2D where wantValue, 0x30...0x39 where wantValue:
            number.removeAll(keepingCapacity: true)
            number.append(b)
            lex = .number
        case 0x74 where wantValue, 0x66 where wantValue, 0x6E where wantValue:
            word = b == 0x74 ? Self.trueWord : b == 0x66 ? Self.falseWord : Self.nullWord
            lit.append(b)
            lex = .word(1)
        default:
            throw .malformedJSON("unexpected byte 0x\(String(b, radix: 16))")
        }
    }

    private static let trueWord = Array("true".utf8)
    private static let falseWord = Array("false".utf8)
    private static let nullWord = Array("null".utf8)

    private mutating func valueDone() {
        expect = stack.isEmpty ? .value : .commaOrClose
    }

    private mutating func appendDecoded(_ bytes: [UInt8]) {
        decoded.append(contentsOf: bytes)
        if inKey && keyText.count + bytes.count <= Self.maxKeyPath { keyText.append(contentsOf: bytes) }
        rawDone = raw.count
        decodedDone = decoded.count
    }

    /// Queues the string text read so far (up to the last complete escape).
    private mutating func flushString(_ out: inout StreamOutput) {
        if rawDone == 0 { return }
        flushLiteral(&out)
        let d = Array(decoded[0..<decodedDone])
        let r = escaped ? Array(raw[0..<rawDone]) : nil
        out.piece(channel: channel, decoded: d, raw: r, encoding: .jsonString)
        decoded.removeFirst(decodedDone)
        raw.removeFirst(rawDone)
        escaped = !raw.isEmpty
        rawDone = 0
        decodedDone = 0
    }

    private mutating func endNumber(_ out: inout StreamOutput, _ channels: inout JSONChannels) throws(StreamMaskError) {
        guard Self.isNumber(number) else { throw .malformedJSON("invalid number") }
        flushLiteral(&out)
        let ch = channels.forNumber(&out)
        out.piece(channel: ch, decoded: number, raw: nil, encoding: .jsonNumber)
        lex = .structure
        valueDone()
    }

    private mutating func flushLiteral(_ out: inout StreamOutput) {
        if lit.isEmpty { return }
        out.literal(lit)
        lit.removeAll(keepingCapacity: true)
    }

    /// The JSON path of the value being read, `/key/0/key`.
    private func path() -> [UInt8] {
        var p: [UInt8] = []
        for f in stack {
            p.append(0x2F)
            if f.isObject { p.append(contentsOf: f.key) } else { p.append(contentsOf: String(f.index).utf8) }
        }
        return p
    }

    /// RFC 8259 number grammar.
    static func isNumber(_ t: [UInt8]) -> Bool {
        var i = 0
        if i < t.count, t[i] == 0x2D { i += 1 }
        guard i < t.count, ByteClass.isDigit(t[i]) else { return false }
        if t[i] == 0x30 { i += 1 } else { while i < t.count, ByteClass.isDigit(t[i]) { i += 1 } }
        if i < t.count, t[i] == 0x2E {
            i += 1
            guard i < t.count, ByteClass.isDigit(t[i]) else { return false }
            while i < t.count, ByteClass.isDigit(t[i]) { i += 1 }
        }
        if i < t.count, t[i] == 0x65 || t[i] == 0x45 {
            i += 1
            if i < t.count, t[i] == 0x2B || t[i] == 0x2D { i += 1 }
            guard i < t.count, ByteClass.isDigit(t[i]) else { return false }
            while i < t.count, ByteClass.isDigit(t[i]) { i += 1 }
        }
        return i == t.count
    }

    static func utf8(_ v: UInt32) -> [UInt8] {
        switch v {
        case 0..<0x80: return [UInt8(v)]
        case 0x80..<0x800: return [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)]
        case 0x800..<0x10000: return [UInt8(0xE0 | v >> 12), UInt8(0x80 | (v >> 6) & 0x3F), UInt8(0x80 | v & 0x3F)]
        default: return [UInt8(0xF0 | v >> 18), UInt8(0x80 | (v >> 12) & 0x3F), UInt8(0x80 | (v >> 6) & 0x3F), UInt8(0x80 | v & 0x3F)]
        }
    }
}
