import GatehouseCore

/// Decodes the value test of a header, query or body condition: exactly one
/// of `equals`, `any_of`, `glob`, `present`.
enum ValueTestDecoding {
    /// `stringsOnly`: headers and query parameters are strings, so `equals`
    /// and `any_of` must be strings there.
    static func decode(_ reader: ObjectReader, stringsOnly: Bool) -> ValueTest? {
        let sink = reader.sink
        var tests: [(String, ValueTest?)] = []
        if let m = reader.member("equals") {
            tests.append(("equals", scalar(m.node, reader.describe("equals"), stringsOnly: stringsOnly, sink: sink).map(ValueTest.equals)))
        }
        if let list = reader.array("any_of", nonEmpty: true) {
            let values = list.value.map { scalar($0, "each entry of \(reader.describe("any_of"))", stringsOnly: stringsOnly, sink: sink) }
            tests.append(("any_of", values.contains(nil) ? nil : .anyOf(values.compactMap { $0 })))
        } else if reader.contains("any_of") {
            tests.append(("any_of", nil))
        }
        if let g = reader.string("glob") {
            tests.append(("glob", .glob(Glob(g.value, pathSegments: false))))
        } else if reader.contains("glob") {
            tests.append(("glob", nil))
        }
        if let p = reader.bool("present") {
            tests.append(("present", .present(p.value)))
        } else if reader.contains("present") {
            tests.append(("present", nil))
        }
        if tests.isEmpty {
            sink.error("\(reader.context) needs one of \"equals\", \"any_of\", \"glob\" or \"present\"", at: reader.location)
            return nil
        }
        if tests.count > 1 {
            sink.error("\(reader.context) has \(tests.map { "\"\($0.0)\"" }.joined(separator: " and ")); use exactly one test per condition (list several conditions to combine them)",
                       at: reader.location)
            return nil
        }
        return tests[0].1
    }

    static func scalar(_ node: JSONNode, _ what: String, stringsOnly: Bool, sink: JSONDiagnosticSink) -> ScalarValue? {
        switch node.value {
        case .string(let s): return .string(s)
        case .number(let n) where !stringsOnly:
            guard let d = n.asDouble else {
                sink.error("\(what) is out of range, got \(n.literal)", at: node.location)
                return nil
            }
            return .number(n.literal, d)
        case .bool(let b) where !stringsOnly: return .bool(b)
        case .null where !stringsOnly: return .null
        default:
            sink.error("\(what) must be \(stringsOnly ? "a string" : "a string, number, boolean or null"), got \(node.value.typeName)",
                       at: node.location)
            return nil
        }
    }
}
