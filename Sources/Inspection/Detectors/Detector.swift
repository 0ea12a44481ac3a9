/// The built-in detectors. Raw values are the names policy files use and
/// the labels `redact` writes (`[REDACTED:credit_card]`).
///
/// Each detector contributes Hyperscan patterns that find candidates and a
/// byte-level validator that confirms them (checksums, ranges, boundaries,
/// context); see the file of each `*Detector` type for exactly what is checked.
public enum Detector: String, CaseIterable, Sendable, Hashable {
    case creditCard = "credit_card"
    case ssn = "us_ssn"
    case email
    case phone
    case iban
    case ipv4
    case ipv6
    case awsAccessKeyID = "aws_access_key_id"
    case awsSecretKey = "aws_secret_access_key"
    case githubToken = "github_token"
    case slackToken = "slack_token"
    case googleAPIKey = "google_api_key"
    case jwt
    case privateKey = "private_key"
    /// High-entropy value after `password=`, `secret:`, `api_key=` and the
    /// like. Opt-in: not in `Detector.defaultSet`.
    case genericSecret = "generic_secret"

    /// Every detector except the opt-in `genericSecret`.
    public static let defaultSet: Set<Detector> = Set(allCases.filter { $0 != .genericSecret })

    /// Candidate patterns for this detector (Hyperscan syntax, compiled with
    /// `patternFlags`). They over-approximate; validators decide. For the
    /// numeric detectors (`isNumeric`) they are the specification that
    /// `NumericMatcher` implements.
    var patterns: [String] {
        switch self {
        case .creditCard: CreditCardDetector.patterns
        case .ssn: SSNDetector.patterns
        case .email: EmailDetector.patterns
        case .phone: PhoneDetector.patterns
        case .iban: IBANDetector.patterns
        case .ipv4: IPv4Detector.patterns
        case .ipv6: IPv6Detector.patterns
        case .awsAccessKeyID: AWSKeyDetector.accessKeyPatterns
        case .awsSecretKey: AWSKeyDetector.secretKeyPatterns
        case .githubToken: TokenDetectors.githubPatterns
        case .slackToken: TokenDetectors.slackPatterns
        case .googleAPIKey: TokenDetectors.googlePatterns
        case .jwt: JWTDetector.patterns
        case .privateKey: PrivateKeyDetector.patterns
        case .genericSecret: GenericSecretDetector.patterns
        }
    }

    /// Detectors whose patterns are character classes without a literal
    /// (digits and separators, hex groups). `Inspector` does not compile
    /// them: `NumericMatcher` matches the same shapes by hand, and
    /// `NumericMatcherTests` checks it against these patterns.
    var isNumeric: Bool {
        switch self {
        case .creditCard, .ssn, .phone, .iban, .ipv4, .ipv6: true
        default: false
        }
    }

    /// Detectors matched outside the Hyperscan database, by hand:
    /// the numeric ones (`NumericMatcher`) and email (`EmailMatcher`).
    /// Their `patterns` are the specification the matchers implement.
    var hasOwnMatcher: Bool { isNumeric || self == .email }

    /// Compile flags. Most detectors use SOM_LEFTMOST (exact match starts);
    /// the AWS secret key pattern is too large for SOM tracking, so it
    /// reports end offsets only and its validator re-anchors from the end.
    var patternFlags: PatternFlags {
        switch self {
        case .awsSecretKey: []
        case .genericSecret: GenericSecretDetector.flags
        default: [.leftmostStart]
        }
    }

    /// Confirms a candidate at `start..<end` and returns the exact range of
    /// the sensitive value (validators may re-anchor), or nil to drop it.
    func validate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ options: ValidationOptions) -> Range<Int>? {
        switch self {
        case .creditCard: CreditCardDetector.validate(b, start, end)
        case .ssn: SSNDetector.validate(b, start, end)
        case .email: EmailDetector.validate(b, start, end)
        case .phone: PhoneDetector.validate(b, start, end)
        case .iban: IBANDetector.validate(b, start, end)
        case .ipv4: IPv4Detector.validate(b, start, end)
        case .ipv6: IPv6Detector.validate(b, start, end)
        case .awsAccessKeyID: AWSKeyDetector.validateAccessKey(b, start, end)
        case .awsSecretKey: AWSKeyDetector.validateSecretKey(b, start, end)
        case .githubToken: TokenDetectors.validateGitHub(b, start, end)
        case .slackToken: TokenDetectors.validateSlack(b, start, end)
        case .googleAPIKey: TokenDetectors.validateGoogle(b, start, end)
        case .jwt: JWTDetector.validate(b, start, end)
        case .privateKey: PrivateKeyDetector.validate(b, start, end)
        case .genericSecret: GenericSecretDetector.validate(b, start, end, minEntropy: options.genericSecretMinEntropy)
        }
    }
}

/// Tunables that validators read.
struct ValidationOptions: Sendable {
    var genericSecretMinEntropy: Double
}
