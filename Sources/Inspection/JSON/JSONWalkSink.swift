/// What `JSONStringWalker.walk(_:into:)` tells about each token it
/// validates. The walk is generic over its sink and specialized for each,
/// so a sink pays only for what it keeps: `SpanRecorder` records every
/// string, number and container (for JSON Pointers and the generic-secret
/// detector); `JSONFindingFilter` only settles the few raw findings of a
/// body against the tokens that hold them. A token's container and own
/// frame are passed as autoclosures: read from the walk's stack only by a
/// sink that uses them.
protocol JSONWalkSink {
    /// The content `start..<end` of a string (a member key or a value),
    /// between its quotes; `escaped` when it holds a `\` escape. `own` is
    /// a value's member key or array index (a key's own range for a key).
    mutating func string(start: Int, end: Int, escaped: Bool, isKey: Bool,
                         container: @autoclosure () -> Int32, own: @autoclosure () -> JSONFrame)
    /// A number token `start..<end`.
    mutating func number(start: Int, end: Int, container: @autoclosure () -> Int32, own: @autoclosure () -> JSONFrame)
    /// A non-empty array or object opened in `parent` at `position`: the
    /// index the walk gives it as its values' container.
    mutating func open(parent: @autoclosure () -> Int32, position: @autoclosure () -> JSONFrame) -> Int32
}

extension JSONStringWalker {
    /// Records every string and number in `spans` (and the escaped ones'
    /// indices in `escaped`), every container in `containers`.
    struct SpanRecorder: JSONWalkSink {
        let spans: PodBuffer<JSONSpan>
        let escaped: PodBuffer<Int32>
        let containers: PodBuffer<Container>

        @inline(__always)
        mutating func string(start: Int, end: Int, escaped isEscaped: Bool, isKey: Bool,
                             container: @autoclosure () -> Int32, own: @autoclosure () -> JSONFrame) {
            if isEscaped { escaped.append(Int32(truncatingIfNeeded: spans.count)) }
            spans.append(JSONSpan(start: start, end: end, kind: isEscaped ? .escapedString : .plainString, isKey: isKey,
                                  container: container(), frame: own()))
        }

        @inline(__always)
        mutating func number(start: Int, end: Int, container: @autoclosure () -> Int32, own: @autoclosure () -> JSONFrame) {
            spans.append(JSONSpan(start: start, end: end, kind: .number, isKey: false, container: container(), frame: own()))
        }

        @inline(__always)
        mutating func open(parent: @autoclosure () -> Int32, position: @autoclosure () -> JSONFrame) -> Int32 {
            containers.append(Container(parent: parent(), position: position()))
            return Int32(truncatingIfNeeded: containers.count &- 1)
        }
    }
}
