/// How a test waits for another task: poll a condition until it holds, never a fixed sleep. The
/// timeout is a liveness bound, not a speed check: it leaves room for a small CI machine running
/// every suite at once (a passing test waits only as long as its condition takes).
///
/// The condition is tried every `poll` for the first second, then every 100 ms (a long wait is
/// a pipeline's, whose conditions query servers). A condition that throws is not true yet (a
/// server still starting); if it never holds, the error says what was awaited, where, and the
/// last error the condition threw.
public func eventually(_ what: String, timeout: Duration = .seconds(60), every poll: Duration = .milliseconds(10),
                       fileID: StaticString = #fileID, line: UInt = #line,
                       _ condition: () async throws -> Bool) async throws {
    let start = ContinuousClock.now
    let deadline = start + timeout
    var lastError: (any Error)?
    while true {
        do {
            if try await condition() { return }
            lastError = nil
        } catch {
            if Task.isCancelled { throw error }
            lastError = error
        }
        guard ContinuousClock.now < deadline else {
            throw WaitTimedOut(what: what, after: timeout, lastError: lastError.map { "\($0)" }, fileID: "\(fileID)", line: line)
        }
        try await Task.sleep(for: ContinuousClock.now - start < .seconds(1) ? poll : max(poll, .milliseconds(100)))
    }
}

/// `eventually` gave up; the test fails with what it waited for and where.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public let what: String
    public let after: Duration
    /// What the condition threw on its last try, if it threw.
    public let lastError: String?
    public let fileID: String
    public let line: UInt

    public var description: String {
        "\(fileID):\(line): timed out after \(after) waiting until \(what)" + (lastError.map { " (last error: \($0))" } ?? "")
    }
}
