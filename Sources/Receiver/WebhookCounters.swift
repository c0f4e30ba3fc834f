import Metrics
import Synchronization

/// `lookout_webhooks_total{outcome, reason}`, one handle per outcome and reason, made once: a
/// `Counter(label:dimensions:)` per request went through the metrics factory's lock each time.
package enum WebhookCounters {
    private struct Key: Hashable {
        let outcome: String
        let reason: String
    }

    private static let handles = Mutex<[Key: Counter]>([:])

    package static func increment(_ outcome: String, reason: String = "") {
        let key = Key(outcome: outcome, reason: reason)
        let counter = handles.withLock { handles in
            if let counter = handles[key] { return counter }
            let counter = Counter(label: "lookout_webhooks_total", dimensions: [("outcome", outcome), ("reason", reason)])
            handles[key] = counter
            return counter
        }
        counter.increment()
    }
}
