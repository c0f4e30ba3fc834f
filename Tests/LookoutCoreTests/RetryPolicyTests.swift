import Logging
import LookoutCore
import Synchronization
import Testing

private enum Failure: RetryClassified, Equatable {
    case busy, refused, slowDown(Duration)
    var retryAdvice: RetryAdvice {
        switch self {
        case .busy: .retryable
        case .refused: .permanent
        case .slowDown(let wait): .retryAfter(wait)
        }
    }
}

/// Records the waits instead of sleeping.
private final class Waits: Sendable {
    private let state = Mutex<[Duration]>([])
    var all: [Duration] { state.withLock { $0 } }
    func policy(attempts: Int?) -> RetryPolicy {
        RetryPolicy(initial: .seconds(1), maximum: .seconds(8), jitter: .none, attempts: attempts,
                    sleep: { [self] wait in state.withLock { $0.append(wait) } })
    }
}

private let logger = Logger(label: "retry-test")

@Suite struct RetryPolicyTests {
    @Test func theWaitGrowsByTheMultiplierUpToTheCap() {
        let policy = RetryPolicy(initial: .milliseconds(200), maximum: .seconds(5), multiplier: 2, jitter: .none)
        #expect((0..<7).map { policy.delay(attempt: $0) }
                == [.milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .milliseconds(3200), .seconds(5), .seconds(5)])
        #expect(policy.ceiling(attempt: 1000) == .seconds(5), "no overflow far out")
        #expect(policy.steps == [.milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .milliseconds(3200), .seconds(5)])
    }

    @Test func halfJitterStaysBetweenHalfTheCeilingAndTheCeiling() {
        let policy = RetryPolicy(initial: .seconds(2), maximum: .seconds(600))
        for attempt in 0..<12 {
            let ceiling = policy.ceiling(attempt: attempt)
            let drawn = (0..<200).map { _ in policy.delay(attempt: attempt) }
            #expect(drawn.allSatisfy { $0 >= ceiling / 2 && $0 <= ceiling })
            #expect(Set(drawn).count > 1, "spread out")
        }
        #expect(RetryPolicy(initial: .seconds(2), jitter: .none).delay(attempt: 1) == .seconds(4))
    }

    @Test func retryAfterWinsOverTheDrawnWaitAndPermanentStops() {
        let policy = RetryPolicy(initial: .seconds(1), maximum: .seconds(60), jitter: .none, attempts: 3)
        #expect(policy.wait(after: 1, .retryable) == .seconds(1))
        #expect(policy.wait(after: 2, .retryable) == .seconds(2))
        #expect(policy.wait(after: 1, .retryAfter(.seconds(30))) == .seconds(30), "longer than the backoff")
        #expect(policy.wait(after: 2, .retryAfter(.milliseconds(10))) == .milliseconds(10), "shorter too")
        #expect(policy.wait(after: 1, .permanent) == nil)
        #expect(policy.wait(after: 3, .retryable) == nil, "three attempts in all")
        #expect(RetryPolicy(attempts: nil).wait(after: 10_000, .retryable) != nil, "no limit")
    }

    @Test func runRetriesUntilItSucceedsWithoutRealWaiting() async throws {
        let waits = Waits()
        let calls = Mutex(0)
        let value = try await waits.policy(attempts: 5).run("test", logger: logger) { () throws(Failure) -> String in
            let call = calls.withLock { $0 += 1; return $0 }
            if call == 2 { throw .slowDown(.seconds(7)) }
            if call < 4 { throw .busy }
            return "done"
        }
        #expect(value == "done")
        #expect(waits.all == [.seconds(1), .seconds(7), .seconds(4)], "backoff, Retry-After, backoff of the third failure")
    }

    @Test func aPermanentFailureIsNotRetried() async {
        let waits = Waits()
        let calls = Mutex(0)
        await #expect(throws: RetryStop<Failure>.self) {
            try await waits.policy(attempts: nil).run("test", logger: logger) { () throws(Failure) in
                calls.withLock { $0 += 1 }
                throw .refused
            }
        }
        #expect(calls.withLock { $0 } == 1)
        #expect(waits.all.isEmpty)
        let handedBack: Int? = await waits.policy(attempts: nil).retrying("test", logger: logger) { () throws(Failure) -> Int in throw .refused }
        #expect(handedBack == nil)
    }

    @Test func theLastAttemptEndsWithTheLastFailure() async {
        let waits = Waits()
        do {
            _ = try await waits.policy(attempts: 3).run("test", logger: logger) { () throws(Failure) in throw .busy }
            Issue.record("no failure")
        } catch {
            guard case .exhausted(.busy) = error else { Issue.record("\(error)"); return }
        }
        #expect(waits.all == [.seconds(1), .seconds(2)], "three attempts, two waits")
    }

    @Test func errorsThatDoNotClassifyThemselvesAreRetried() {
        struct Unknown: Error {}
        #expect(RetryAdvice.of(Unknown()) == .retryable)
        #expect(RetryAdvice.of(PublishFailure.shuttingDown) == .permanent)
        #expect(RetryAdvice.of(PublishFailure.confirmTimedOut) == .retryable)
    }
}
