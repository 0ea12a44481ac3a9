extension ShellParser {
    /// Reads one word at `i` with quote removal and expansion markers.
    mutating func word() -> ShellWord {
        var out: [UInt8] = []
        var w = ShellWord(value: "")
        let start = i
        func mark(_ c: Character) { out.append(contentsOf: Array(String(c).utf8)) }
        while i < b.count {
            let c = b[i]
            if Self.isMeta(c) { break }
            switch c {
            case UInt8(ascii: "\\"):
                if at(i + 1) == 0x0A { i += 2; continue }
                if i + 1 < b.count { out.append(b[i + 1]) }
                i += 2
            case UInt8(ascii: "'"):
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "'") { out.append(b[i]); i += 1 }
                if i >= b.count { malformed = true }
                i += 1
            case UInt8(ascii: "\""):
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "\"") {
                    let d = b[i]
                    if d == UInt8(ascii: "\\"), let n = Optional(at(i + 1)),
                       n == UInt8(ascii: "$") || n == UInt8(ascii: "`") || n == UInt8(ascii: "\"") || n == UInt8(ascii: "\\") || n == 0x0A {
                        if n != 0x0A { out.append(n) }
                        i += 2
                    } else if d == UInt8(ascii: "$") {
                        dollar(&out, &w)
                    } else if d == UInt8(ascii: "`") {
                        backtick(&out, &w)
                    } else {
                        out.append(d)
                        i += 1
                    }
                }
                if i >= b.count { malformed = true }
                i += 1
            case UInt8(ascii: "$"):
                if at(i + 1) == UInt8(ascii: "'") {
                    i += 2
                    ansiC(&out)
                } else {
                    dollar(&out, &w)
                }
            case UInt8(ascii: "`"):
                backtick(&out, &w)
            case UInt8(ascii: "*"), UInt8(ascii: "?"):
                mark(ShellWord.glob)
                i += 1
            case UInt8(ascii: "~") where i == start:
                mark(ShellWord.tilde)
                i += 1
            default:
                out.append(c)
                i += 1
            }
        }
        if i == start, i < b.count { i += 1 }  // never stall
        w.value = String(decoding: out, as: UTF8.self)
        return w
    }

    /// `$NAME`, `${…}`, `$(…)`, `$((…))`, `$1`, `$?`: marker + name, or a substitution.
    mutating func dollar(_ out: inout [UInt8], _ w: inout ShellWord) {
        i += 1
        let marker = Array(String(ShellWord.variable).utf8)
        let c = at(i)
        if c == UInt8(ascii: "(") {
            if at(i + 1) == UInt8(ascii: "(") {
                i += 2
                skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 1)
            } else {
                i += 1
                w.substitutions.append(script(until: UInt8(ascii: ")")))
            }
            out.append(contentsOf: Array(String(ShellWord.substitution).utf8))
            return
        }
        if c == UInt8(ascii: "{") {
            i += 1
            out.append(contentsOf: marker)
            var k = i
            while k < b.count, b[k] != UInt8(ascii: "}") { k += 1 }
            if k >= b.count { malformed = true }
            var n = i
            while n < k, ByteClass.isWord(b[n]) { n += 1 }
            out.append(contentsOf: b[i..<n])
            i = Swift.min(k + 1, b.count)
            return
        }
        if ByteClass.isAlpha(c) || c == UInt8(ascii: "_") {
            out.append(contentsOf: marker)
            while i < b.count, ByteClass.isWord(b[i]) { out.append(b[i]); i += 1 }
            return
        }
        if ByteClass.isDigit(c) || c == UInt8(ascii: "?") || c == UInt8(ascii: "@") || c == UInt8(ascii: "*")
            || c == UInt8(ascii: "#") || c == UInt8(ascii: "$") || c == UInt8(ascii: "!") || c == UInt8(ascii: "-") {
            out.append(contentsOf: marker)
            out.append(c)
            i += 1
            return
        }
        out.append(UInt8(ascii: "$"))  // a lone `$` is literal
    }

    /// `` `…` ``: the body (with `\`` unescaped) parsed as its own script.
    mutating func backtick(_ out: inout [UInt8], _ w: inout ShellWord) {
        i += 1
        var body: [UInt8] = []
        while i < b.count, b[i] != UInt8(ascii: "`") {
            if b[i] == UInt8(ascii: "\\"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "`") || b[i + 1] == UInt8(ascii: "\\") || b[i + 1] == UInt8(ascii: "$") {
                body.append(b[i + 1])
                i += 2
                continue
            }
            body.append(b[i])
            i += 1
        }
        if i >= b.count { malformed = true }
        i += 1
        var inner = ShellParser(body)
        inner.nesting = nesting  // backticks count towards the nesting bound too
        var s = inner.script(until: nil)
        s.malformed = s.malformed || inner.malformed
        malformed = malformed || s.malformed
        w.substitutions.append(s)
        out.append(contentsOf: Array(String(ShellWord.substitution).utf8))
    }

    /// `$'…'` ANSI-C quoting: common escapes decoded, the rest kept.
    mutating func ansiC(_ out: inout [UInt8]) {
        while i < b.count, b[i] != UInt8(ascii: "'") {
            if b[i] == UInt8(ascii: "\\"), i + 1 < b.count {
                let n = b[i + 1]
                i += 2
                switch n {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "x"):
                    var v = 0, k = 0
                    while k < 2, i < b.count, ByteClass.isHex(b[i]) { v = v * 16 + ByteClass.hexValue(b[i]); i += 1; k += 1 }
                    out.append(UInt8(truncatingIfNeeded: v))
                default: out.append(n)
                }
                continue
            }
            out.append(b[i])
            i += 1
        }
        if i >= b.count { malformed = true }
        i += 1
    }
}
