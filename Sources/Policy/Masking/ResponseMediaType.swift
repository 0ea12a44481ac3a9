import HTTP1

/// What a response's `Content-Type` makes of its body, for masking: read
/// from the header's bytes (ASCII case-insensitive, parameters ignored),
/// without building strings, since it runs once per masked response
/// (`ResponseBodyMasker.begin` finds the first `Content-Type` field).
enum ResponseMediaType: Equatable {
    case json, form, eventStream, text

    /// `application/json` and `*+json` are JSON, `application/x-www-form-urlencoded`
    /// a form, `text/event-stream` an event stream; anything else is text
    /// (the same rules as `RequestInspection.bodyKind`).
    static func classify(_ v: UnsafeRawBufferPointer) -> ResponseMediaType {
        var start = 0
        var end = v.count
        while start < end, v[start] == 0x20 || v[start] == 0x09 { start += 1 }
        var semi = start
        while semi < end, v[semi] != 0x3B { semi += 1 }
        end = semi
        while end > start, v[end - 1] == 0x20 || v[end - 1] == 0x09 { end -= 1 }
        let media = UnsafeRawBufferPointer(rebasing: v[start..<end])
        if HeaderNameMatch.equals(media, jsonName) || HeaderNameMatch.hasSuffix(media, plusJSONName) { return .json }
        if HeaderNameMatch.equals(media, formName) { return .form }
        if HeaderNameMatch.equals(media, eventStreamName) { return .eventStream }
        return .text
    }

    // Static strings, not arrays: no lazy-global check or retain per comparison.
    private static let jsonName: StaticString = "application/json"
    private static let plusJSONName: StaticString = "+json"
    private static let formName: StaticString = "application/x-www-form-urlencoded"
    private static let eventStreamName: StaticString = "text/event-stream"
}
