import Foundation
import LookoutCore
import Notifier
import NotifyWorker
import Synchronization

/// Deliveries pushed by the test; records settlements.
final class PushedSource: DeliverySource {
    private let pending = Mutex<[[Delivery]]>([])
    let settled = Mutex<[(DeliveryTag, Settlement)]>([])

    func push(_ deliveries: [Delivery]) { pending.withLock { $0.append(deliveries) } }

    func nextBatch(max: Int) async -> [Delivery] {
        while !Task.isCancelled {
            if let batch = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return batch }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return []
    }

    func settle(_ settlements: [(DeliveryTag, Settlement)]) {
        settled.withLock { $0.append(contentsOf: settlements) }
    }

    var settlements: [UInt64: Settlement] {
        settled.withLock { Dictionary($0.map { ($0.0.value, $0.1) }, uniquingKeysWith: { first, _ in first }) }
    }
}

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

func joinDelivery(_ tag: UInt64, _ name: String, meeting: String = "85012345678") -> Delivery {
    let body = #"{"event":"meeting.participant_joined","event_ts":1795334400000,"payload":{"object":{"id":"\#(meeting)","uuid":"u-\#(meeting)","topic":"Biology 101","participant":{"user_name":"\#(name)","participant_uuid":"\#(name)","join_time":"2026-11-22T08:01:02Z"}}}}"#
    return Delivery(tag: DeliveryTag(connection: 1, value: tag), routingKey: "meeting.participant_joined", body: Array(body.utf8),
                    messageID: "m\(tag)", timestamp: nil, source: .webhook, redelivered: false)
}

/// One half of Ada's move into a breakout room: the same participant_uuid and the same second.
func moveDelivery(_ tag: UInt64, leave: Bool) -> Delivery {
    let participant = leave
        ? #""user_id":"16778241","user_name":"Ada","participant_uuid":"ada-1","leave_time":"2026-11-22T08:10:00Z","leave_reason":"Ada left the meeting. Reason : left the meeting to join breakout room""#
        : #""user_id":"16779265","user_name":"Ada","participant_uuid":"ada-1","join_time":"2026-11-22T08:10:00Z""#
    let event = leave ? "meeting.participant_left" : "meeting.participant_joined"
    let body = #"{"event":"\#(event)","event_ts":1795335000000,"payload":{"object":{"id":"85012345678","uuid":"u-85012345678","topic":"Biology 101","participant":{\#(participant)}}}}"#
    return Delivery(tag: DeliveryTag(connection: 1, value: tag), routingKey: event, body: Array(body.utf8),
                    messageID: "m\(tag)", timestamp: nil, source: .webhook, redelivered: false)
}

