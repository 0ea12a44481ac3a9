import GatehouseCore
import HTTP1
import Inspection

/// Applies a `MaskSet` to a whole body: detector and pattern findings by
/// label, and the string/number leaves of masked fields. Used by
/// `PolicyStage` on request bodies before forwarding, and meant for the
/// response phase on buffered responses (streaming masking comes later).
///
/// JSON bodies stay valid JSON (`Masker.maskJSON`), form bodies stay
/// parseable, text is masked in place. Field masks need a JSON body, so a
/// body that is not JSON fails closed (`body_malformed`), as do compressed
/// bodies (`body_uninspectable`).
public enum PolicyMasking {
    /// The masked body, nil when nothing changed, or why the body cannot be masked.
    public static func mask(_ body: [UInt8], headers: HTTPHeaders, masks: MaskSet, policy: CompiledPolicy,
                            scratch: PatternScratch, hashKey: MaskKey) -> Result<[UInt8]?, BodyProblem> {
        var labels = MaskedLabels()
        return mask(body, headers: headers, masks: masks, policy: policy, scratch: scratch, hashKey: hashKey, noting: &labels)
    }

    /// `mask`, noting in `labels` the detectors and patterns it masked
    /// (field masks are not labels: they are listed by the rule).
    public static func mask(_ body: [UInt8], headers: HTTPHeaders, masks: MaskSet, policy: CompiledPolicy,
                            scratch: PatternScratch, hashKey: MaskKey,
                            noting labels: inout MaskedLabels) -> Result<[UInt8]?, BodyProblem> {
        if masks.isEmpty || body.isEmpty { return .success(nil) }
        if let problem = UndecodedEncoding.problem(in: headers) { return .failure(.uninspectable(problem)) }
        var plan = MaskPlan()
        for (label, s) in masks.labels {
            let kind: FindingKind = Detector(rawValue: label).map(FindingKind.detector) ?? .custom(label)
            plan.strategies[kind] = strategy(s, hashKey)
        }
        for f in masks.fields { plan.strategies[.custom(fieldLabel(f.path))] = strategy(f.strategy, hashKey) }

        let kind = bodyKind(headers)
        let isJSON = kind == .json || !masks.fields.isEmpty
        if isJSON {
            do throws(JSONParseError) {
                _ = try JSONParser.parse(body)
            } catch {
                return .failure(.malformed("\(error.location): \(error.message)"))
            }
        }
        return body.withUnsafeBytes { raw -> Result<[UInt8]?, BodyProblem> in
            var findings: [Finding] = []
            do {
                if !masks.labels.isEmpty {
                    if isJSON {
                        do throws(InspectionError) { findings = try policy.inspector.scanJSON(raw, scratch: scratch, pointers: false) } catch {
                            if case .malformedJSON(let offset, let reason) = error { return .failure(.malformed("byte \(offset): \(reason)")) }
                            return .failure(.uninspectable(error.description))
                        }
                    } else if kind == .form {
                        findings = try policy.inspector.scanForm(raw, scratch: scratch)
                    } else {
                        findings = try policy.inspector.scan(raw, scratch: scratch)
                    }
                }
            } catch {
                return .failure(.uninspectable("\(error)"))
            }
            labels.note(findings, plan: plan)
            if isJSON {
                let paths = masks.fields.map(\.path)
                for leaf in JSONLeafLocator(raw: raw, paths: paths).leaves() {
                    let label = FindingKind.custom(fieldLabel(paths[leaf.path]))
                    findings.append(leaf.isNumber ? .jsonNumber(kind: label, range: leaf.range) : Finding(kind: label, range: leaf.range))
                }
                return .success(Masker.maskJSON(raw, findings: findings, plan: plan))
            }
            return .success(kind == .form ? Masker.maskForm(raw, findings: findings, plan: plan)
                                          : Masker.maskText(raw, findings: findings, plan: plan))
        }
    }

    /// The label a masked field gets in `[REDACTED:<label>]` and in the
    /// hash input: `field:` and the path as written (pattern names cannot
    /// contain `:`, so it never collides with one).
    public static func fieldLabel(_ path: FieldPath) -> String { "field:\(path.text)" }

    static func strategy(_ s: MaskStrategyName, _ key: MaskKey) -> MaskStrategy {
        switch s {
        case .redact: .redact
        case .partial(let keep): .partial(keep: keep)
        case .hash: .hash(key)
        }
    }

    static func bodyKind(_ headers: HTTPHeaders) -> RequestInspection.BodyKind {
        RequestInspection.bodyKind(contentType: headers.firstValue("content-type"))
    }
}
