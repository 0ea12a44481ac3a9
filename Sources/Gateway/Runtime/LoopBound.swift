/// Carries a loop-confined object into a `@Sendable` closure that will be
/// run on that same loop (through `EventLoop.post`). The object is never
/// touched on another thread; this wrapper only states that to the compiler.
struct LoopBound<Value: AnyObject>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
