/// An internal validation failure carrying a user-facing message.
struct SyntaxProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
