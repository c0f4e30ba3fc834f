import LookoutCore

/// How a delivery is settled once every target it was owed to has answered.
public enum DeliveryDecision: Sendable {
    /// Posted everywhere it was owed (or, where a route posts nothing for it, settled there): ack.
    case ack(Delivery)
    /// Nothing was posted yet (shutdown): give it back to the queue as it is.
    case requeue(Delivery)
    /// Some targets need it again later, or can never take it: send the copies on, then ack.
    case forward(Delivery, retry: Retry?, park: Park?)

    public struct Retry: Sendable, Equatable {
        public let targets: [NotifyTarget]
        public let delay: Duration
        /// The attempt number the copy carries.
        public let attempt: Int
        public let reason: String
    }

    public struct Park: Sendable, Equatable {
        public let targets: [NotifyTarget]
        /// Mattermost's error id (`web.incoming_webhook.invalid.app_error`, ...), when it gave one.
        public let errorID: String?
        public let reason: String
    }

    public var delivery: Delivery {
        switch self {
        case .ack(let delivery), .requeue(let delivery), .forward(let delivery, _, _): delivery
        }
    }
}

/// What the answers so far say about one delivery.
struct DeliveryProgress: Sendable {
    let delivery: Delivery
    let targetCount: Int
    var unresolved: Set<NotifyTarget>
    var retryTargets: [NotifyTarget] = []
    /// The longest Retry-After among rate-limited targets (a 429 is not a failed attempt).
    var rateLimitDelay: Duration?
    /// The last 5xx or network failure: it counts as an attempt.
    var failure: String?
    var parked: [NotifyTarget] = []
    var errorID: String?
    var parkReason: String?

    init(delivery: Delivery, targets: Set<NotifyTarget>) {
        self.delivery = delivery
        targetCount = targets.count
        unresolved = targets
    }

    var nothingAnswered: Bool { unresolved.count == targetCount && retryTargets.isEmpty && parked.isEmpty }

    mutating func record(_ outcome: PostOutcome, for target: NotifyTarget) {
        unresolved.remove(target)
        switch outcome {
        case .delivered:
            break
        case .rateLimited(let retryAfter):
            retryTargets.append(target)
            rateLimitDelay = max(rateLimitDelay ?? .zero, retryAfter)
        case .failed(let reason):
            retryTargets.append(target)
            failure = reason
        case .rejected(let status, let id, let message):
            parked.append(target)
            errorID = errorID ?? id
            parkReason = "HTTP \(status): \(message)"
        }
    }

    /// Shutdown: what was not posted yet is retried at once, without counting as an attempt.
    mutating func postponeUnresolved() {
        retryTargets += unresolved
        unresolved.removeAll()
    }

    /// The settlement once nothing is unresolved; gives up (parks) after the policy's attempts.
    /// A 429 is no failed attempt: its Retry-After alone sets the wait of its targets, and the
    /// copy waits for the longest of its targets' waits.
    func decision(retry policy: RetryPolicy) -> DeliveryDecision {
        var retry: DeliveryDecision.Retry?
        var parkTargets = parked
        var reasons = parkReason.map { [$0] } ?? []
        if !retryTargets.isEmpty {
            let counts = failure != nil
            let attempt = delivery.attempt + (counts ? 1 : 0)
            if let backoffDelay = counts ? policy.wait(after: attempt, .retryable) : .zero {
                retry = .init(targets: retryTargets.sorted { $0.description < $1.description },
                              delay: max(rateLimitDelay ?? .zero, backoffDelay), attempt: attempt,
                              reason: failure ?? (rateLimitDelay != nil ? "rate limited" : "not posted before shutdown"))
            } else {
                parkTargets += retryTargets
                reasons.append("gave up after \(attempt) attempts: \(failure ?? "")")
            }
        }
        let park = parkTargets.isEmpty ? nil
            : DeliveryDecision.Park(targets: parkTargets.sorted { $0.description < $1.description }, errorID: errorID,
                                    reason: reasons.joined(separator: "; "))
        return retry == nil && park == nil ? .ack(delivery) : .forward(delivery, retry: retry, park: park)
    }
}
