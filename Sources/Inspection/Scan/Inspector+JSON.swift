extension Inspector {
    /// Scans every string (values and member keys) of a JSON body after
    /// decoding escapes. Findings carry raw ranges (whole escape units) and
    /// the JSON Pointer of their string; they are sorted by raw start.
    ///
    /// With `genericSecret` enabled, a value whose member key names a secret
    /// (`"password": "…"`) is also checked as a whole, since key and value
    /// are separate strings. The member key is also the context the AWS
    /// secret-key validator looks at.
    ///
    /// Throws `.malformedJSON` for invalid JSON (the caller refuses the body)
    /// and `.engine` if scanning fails.
    public func scanJSON(_ raw: UnsafeRawBufferPointer, scratch: PatternScratch) throws(InspectionError) -> [Finding] {
        var walker = JSONStringWalker()
        var out: [Finding] = []
        let generic = configuration.detectors.contains(.genericSecret)
        let minEntropy = configuration.genericSecretMinEntropy
        try walker.walk(raw) { (s, frames) throws(InspectionError) in
            var keyContext: UnsafeRawBufferPointer? = nil
            if !s.isKey, case .object(let key)? = frames.last {
                keyContext = UnsafeRawBufferPointer(rebasing: raw[key])
            }
            var found: [Finding]
            do throws(PatternEngineError) {
                found = try scan(s.decoded, scratch: scratch, keyContext: keyContext)
            } catch {
                throw .engine(error)
            }
            if generic, let key = keyContext, GenericSecretDetector.isSecretKeyName(key),
               GenericSecretDetector.isSecretValue(s.decoded, 0..<s.decoded.count, minEntropy: minEntropy) {
                found = Inspector.resolve(found + [Finding(kind: .detector(.genericSecret), range: 0..<s.decoded.count)])
            }
            if found.isEmpty { return }
            var pointerFrames = frames
            if s.isKey { pointerFrames[pointerFrames.count - 1] = .object(key: s.rawContent) }
            let pointer = JSONPointer.make(raw, pointerFrames)
            for f in found {
                out.append(Finding(kind: f.kind, range: s.rawRange(f.range), pointer: pointer))
            }
        }
        return out
    }
}
