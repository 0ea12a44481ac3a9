/// The caller's identity as verified by the identity stage (never as merely
/// claimed by the client).
public struct RecordedIdentity: Sendable, Equatable {
    public var subject: String?
    public var clientID: String?
    public var groups: [String]
    public init(subject: String?, clientID: String? = nil, groups: [String] = []) {
        self.subject = subject
        self.clientID = clientID
        self.groups = groups
    }
}
