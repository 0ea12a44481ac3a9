extension Inspector {
    /// Scans a form-encoded body or a URL query string (without the `?`):
    /// every field name and value after percent-decoding. Findings carry
    /// raw ranges (whole `%XX` units) and, in `pointer`, the decoded field
    /// name. Secret-named fields (`password=…`) are checked as a whole value
    /// when `genericSecret` is enabled. Never fails on syntax: any byte
    /// string is a valid form body.
    public func scanForm(_ raw: UnsafeRawBufferPointer, scratch: PatternScratch) throws(PatternEngineError) -> [Finding] {
        var walker = FormFieldWalker()
        var out: [Finding] = []
        var failure: PatternEngineError?
        let generic = genericSecret
        let awsSecret = awsSecretKey
        let minEntropy = configuration.genericSecretMinEntropy
        walker.walk(raw) { s, name in
            guard failure == nil else { return }
            let key = UnsafeRawBufferPointer(rebasing: raw[name])
            var found: [Finding]
            do throws(PatternEngineError) {
                found = try scan(s.decoded, scratch: scratch)
            } catch {
                failure = error
                return
            }
            if awsSecret, !s.isKey, AWSKeyDetector.isSecretKeyValue(s.decoded, key: key) {
                found = Inspector.resolve(found + [Finding(kind: .detector(.awsSecretKey), range: 0..<s.decoded.count)])
            }
            if generic, !s.isKey, GenericSecretDetector.isSecretKeyName(key),
               GenericSecretDetector.isSecretValue(s.decoded, 0..<s.decoded.count, minEntropy: minEntropy) {
                found = Inspector.resolve(found + [Finding(kind: .detector(.genericSecret), range: 0..<s.decoded.count)])
            }
            if found.isEmpty { return }
            let fieldName = String(decoding: FormFieldWalker.decode(raw, name), as: UTF8.self)
            for f in found { out.append(Finding(kind: f.kind, range: s.rawRange(f.range), pointer: fieldName)) }
        }
        if let failure { throw failure }
        return out
    }
}
