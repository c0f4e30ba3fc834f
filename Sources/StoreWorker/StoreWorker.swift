import Foundation
import Logging
import LookoutCore
import Metrics
import ServiceLifecycle

/// Persists every event from the store queue, in batches, acking each only after MongoDB
/// acknowledged its write. Several replicas may consume the same queue.
public struct StoreWorker: Service {
    public struct Options: Sendable {
        /// Most deliveries written in one bulk insert (bounded by the consumer's prefetch too).
        public var batchSize = 500
        /// Waits between attempts while the store is unavailable.
        public var retry = RetryPolicy(initial: .milliseconds(200), maximum: .seconds(5))
        public init() {}
    }

    private let source: any DeliverySource
    private let store: any RawEventStore
    private let options: Options
    private let logger: Logger

    public init(source: any DeliverySource, store: any RawEventStore, options: Options = .init(), logger: Logger) {
        self.source = source
        self.store = store
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        guard await options.retry.retrying("creating indexes", logger: logger, { () async throws(StoreError) in try await store.prepare() }) != nil else { return }
        logger.info("store worker ready")
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let deliveries = await cancelWhenGracefulShutdown { await source.nextBatch(max: options.batchSize) }
            guard !deliveries.isEmpty else { continue }
            await store(deliveries)
        }
        logger.info("store worker stopped")
    }

    /// Writes one batch and settles it. If the store stays unavailable until shutdown, the batch is
    /// handed back to the queue instead, so nothing is lost.
    private func store(_ deliveries: [Delivery]) async {
        let started = ContinuousClock.now
        let events = StoreBatch.events(from: deliveries, now: Date())
        guard let outcomes = await options.retry.retrying("storing a batch", logger: logger, { () async throws(StoreError) in try await store.insert(events) }) else {
            source.settle(deliveries.map { ($0.tag, .requeue) })
            return
        }
        let settlements = StoreBatch.settlements(for: deliveries, outcomes: outcomes)
        for (delivery, (_, settlement)) in zip(deliveries, settlements) {
            if case .deadLetter(let reason) = settlement {
                logger.error("event cannot be stored, dead-lettered",
                             metadata: ["message_id": "\(delivery.messageID ?? "-")", "event": "\(delivery.routingKey)", "reason": "\(reason)"])
            }
        }
        source.settle(settlements)
        Metrics.Timer(label: "lookout_store_batch_seconds").recordInterval(since: started)
        for (result, count) in Dictionary(grouping: outcomes, by: \.label).mapValues(\.count) {
            Counter(label: "lookout_stored_events_total", dimensions: [("result", result)]).increment(by: Int64(count))
        }
        logger.debug("batch stored", metadata: ["size": "\(deliveries.count)"])
    }
}
