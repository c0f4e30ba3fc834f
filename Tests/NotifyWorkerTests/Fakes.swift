import Foundation
import LookoutCore
import Notifier
import NotifyWorker
import Synchronization

/// Answers posts with a scripted outcome, optionally holding each answer until released.
final class FakeMattermost: MattermostWebhooks {
    let posts = Mutex<[(hook: String, post: MattermostPost)]>([])
    private let answer: @Sendable (Int) -> PostOutcome
    private let gate: Mutex<[CheckedContinuation<Void, Never>]?>

    init(held: Bool = false, answer: @escaping @Sendable (Int) -> PostOutcome = { _ in .delivered }) {
        self.answer = answer
        gate = Mutex(held ? [] : nil)
    }

    func post(_ post: MattermostPost, to hook: Hook) async -> PostOutcome {
        let number = posts.withLock { posts in
            posts.append((hook.name, post))
            return posts.count
        }
        await withCheckedContinuation { continuation in
            let held = gate.withLock { waiters in
                guard waiters != nil else { return false }
                waiters!.append(continuation)
                return true
            }
            if !held { continuation.resume() }
        }
        return answer(number)
    }

    func release() {
        let waiters = gate.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    var count: Int { posts.withLock { $0.count } }
}

/// Records what would go to the delay and parking queues.
final class RecordingRetries: RetryScheduler {
    let retried = Mutex<[(UInt64, Duration, [String: HeaderValue])]>([])
    let parked = Mutex<[(UInt64, [String: HeaderValue])]>([])
    let failing: Bool

    init(failing: Bool = false) { self.failing = failing }

    func retry(_ delivery: Delivery, after delay: Duration, headers: [String: HeaderValue]) async throws(PublishFailure) {
        if failing { throw .notConnected }
        retried.withLock { $0.append((delivery.tag.value, delay, headers)) }
    }

    func park(_ delivery: Delivery, headers: [String: HeaderValue]) async throws(PublishFailure) {
        if failing { throw .notConnected }
        parked.withLock { $0.append((delivery.tag.value, headers)) }
    }
}
