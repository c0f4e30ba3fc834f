/// How a test waits for another task: poll a condition until it holds, never a fixed sleep. The
/// timeout is a liveness bound, not a speed check: it leaves room for a small CI machine running
/// every suite at once.
public func eventually(_ what: String, timeout: Duration = .seconds(30), every poll: Duration = .milliseconds(10),
                       _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(what: what, after: timeout) }
        try await Task.sleep(for: poll)
    }
}

/// `eventually` gave up; the test fails with what it waited for.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public let what: String
    public let after: Duration
    public var description: String { "timed out after \(after) waiting until \(what)" }
}
