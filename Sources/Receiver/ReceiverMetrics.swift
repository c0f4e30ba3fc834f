import Metrics

/// The receiver's metric handles, made once: a `Counter(label:dimensions:)` per request went
/// through the metrics factory's lock each time (0.29 µs against 0.04, `lookout-bench stages`).
enum ReceiverMetrics {
    static let confirmLatency = Metrics.Timer(label: "lookout_publish_confirm_seconds")
    static let spoolDepth = Gauge(label: "lookout_spool_events")

    /// `lookout_webhooks_total{outcome, reason}`: what became of each request.
    static func count(_ outcome: String, reason: String = "") {
        WebhookCounters.increment(outcome, reason: reason)
    }
}
