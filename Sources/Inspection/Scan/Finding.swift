/// What produced a finding: a built-in detector or a named custom pattern
/// from a policy file.
public enum FindingKind: Hashable, Sendable, CustomStringConvertible {
    case detector(Detector)
    case custom(String)

    /// The label used in policy files and in `[REDACTED:<label>]`.
    public var label: String {
        switch self {
        case .detector(let d): d.rawValue
        case .custom(let name): name
        }
    }

    public var description: String { label }
}

/// A confirmed sensitive value: its kind and its byte range in the scanned
/// buffer (for JSON bodies, the range in the *raw* body, covering whole
/// escape sequences, so it can be masked in place). `pointer` is the JSON
/// Pointer (RFC 6901) of the string that holds it, for JSON scans.
public struct Finding: Hashable, Sendable {
    public var kind: FindingKind
    public var range: Range<Int>
    public var pointer: String? = nil
    /// The finding is (part of) a JSON number, not a string: masking
    /// replaces the whole number with a JSON string.
    var inJSONNumber = false

    /// A finding without a JSON Pointer: what every detector reports. A
    /// separate initialiser, not a defaulted `pointer` parameter: with the
    /// optional parameter, each `found.append(Finding(…))` built the
    /// finding, copied it into the array and destroyed the original (a
    /// retain and release of its label; ≈ 250 instructions per finding,
    /// measured with callgrind).
    public init(kind: FindingKind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }

    public init(kind: FindingKind, range: Range<Int>, pointer: String?) {
        self.kind = kind
        self.range = range
        self.pointer = pointer
    }

    /// A finding covering a whole JSON number token (`range` is the token):
    /// `Masker.maskJSON` replaces it with a JSON string. Used by policy
    /// field masks, which select values rather than detector matches.
    public static func jsonNumber(kind: FindingKind, range: Range<Int>, pointer: String? = nil) -> Finding {
        var f = pointer == nil ? Finding(kind: kind, range: range) : Finding(kind: kind, range: range, pointer: pointer)
        f.inJSONNumber = true
        return f
    }
}

/// A custom named pattern from a policy file (Hyperscan syntax). Matches
/// are reported as `FindingKind.custom(name)` without a validator.
public struct CustomPattern: Hashable, Sendable {
    public var name: String
    public var expression: String
    public var caseless: Bool

    public init(name: String, expression: String, caseless: Bool = false) {
        self.name = name
        self.expression = expression
        self.caseless = caseless
    }
}

/// Which detectors run and how.
public struct InspectorConfiguration: Hashable, Sendable {
    /// Built-in detectors to run; `Detector.defaultSet` leaves out the
    /// opt-in `genericSecret`.
    public var detectors: Set<Detector>
    public var customPatterns: [CustomPattern]
    /// Shannon entropy (bits per byte) a `genericSecret` value must reach.
    public var genericSecretMinEntropy: Double

    public init(detectors: Set<Detector> = Detector.defaultSet, customPatterns: [CustomPattern] = [],
                genericSecretMinEntropy: Double = 3.0) {
        self.detectors = detectors
        self.customPatterns = customPatterns
        self.genericSecretMinEntropy = genericSecretMinEntropy
    }
}
