/// A `MaskPlan` made ready for masking many bodies: the strategy of each
/// built-in detector in a table (no dictionary lookup, so no hashing, per
/// finding). Built once per plan (response masking keeps one per policy
/// decision shape); used by `Masker.maskJSON(_:findings:plan:into:)`.
public struct PreparedMaskPlan: Sendable {
    /// The plan it was made from (custom labels, `partial` and `hash` replacements).
    public let plan: MaskPlan
    /// `plan.strategy(for: .detector(d))` at `d.ordinal`.
    private let detectorStrategies: [MaskStrategy?]

    public init(_ plan: MaskPlan) {
        self.plan = plan
        detectorStrategies = Detector.allCases.map { plan.strategy(for: .detector($0)) }
    }

    /// The strategy for `kind`, nil when it is not masked.
    @inline(__always)
    func strategy(for kind: FindingKind) -> MaskStrategy? {
        if case .detector(let d) = kind { return detectorStrategies[d.ordinal] }
        return plan.strategy(for: kind)
    }

    /// `[REDACTED:<label>]` of each detector, JSON-escaped, at its ordinal.
    static let detectorRedactions: [[UInt8]] = Detector.allCases.map { redaction($0.rawValue) }

    /// Appends the `redact` replacement of `kind`, JSON-escaped (from a
    /// table for the built-in detectors: no bytes built per finding).
    static func appendJSONRedaction(_ kind: FindingKind, to out: inout [UInt8]) {
        switch kind {
        case .detector(let d): out.append(contentsOf: detectorRedactions[d.ordinal])
        case .custom(let name): out.append(contentsOf: Self.redaction(name))
        }
    }

    /// `[REDACTED:<label>]`, JSON-escaped (a custom pattern name may hold any character).
    static func redaction(_ label: String) -> [UInt8] {
        var plain: [UInt8] = []
        plain.reserveCapacity(11 + label.utf8.count)
        plain.append(contentsOf: "[REDACTED:".utf8)
        plain.append(contentsOf: label.utf8)
        plain.append(UInt8(ascii: "]"))
        var out: [UInt8] = []
        JSONEscape.append(plain, to: &out)
        return out
    }
}

extension Detector {
    /// The position of the detector in `allCases`, for tables indexed by detector.
    var ordinal: Int {
        switch self {
        case .creditCard: 0
        case .ssn: 1
        case .email: 2
        case .phone: 3
        case .iban: 4
        case .ipv4: 5
        case .ipv6: 6
        case .awsAccessKeyID: 7
        case .awsSecretKey: 8
        case .githubToken: 9
        case .slackToken: 10
        case .googleAPIKey: 11
        case .jwt: 12
        case .privateKey: 13
        case .genericSecret: 14
        }
    }
}
