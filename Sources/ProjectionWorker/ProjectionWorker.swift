import Exports
import LookoutCore
import Foundation
import Logging
import LookoutCore
import Metrics
import Projections
import ServiceLifecycle
import ZoomWebhooks

/// Folds meeting events into the projections, a batch at a time: facts first, then every
/// document the batch touched is recomputed from its facts, then new incidents are announced,
/// and only then are the deliveries acknowledged.
public struct ProjectionWorker: Service {
    public struct Options: Sendable {
        public var batchSize = 500
        public var retry = RetryPolicy(initial: .milliseconds(200), maximum: .seconds(5))
        public init() {}
    }

    private let source: any DeliverySource
    private let store: any ProjectionStore
    private let rules: ProjectionRules
    private let pass: ProjectionPass
    private let exports: ExportWriter?
    private let options: Options
    private let logger: Logger

    public init(source: any DeliverySource, store: any ProjectionStore, rules: ProjectionRules,
                announcer: (any IncidentAnnouncer)?, exports: ExportWriter?, options: Options = .init(), logger: Logger) {
        self.source = source
        self.store = store
        self.rules = rules
        self.pass = ProjectionPass(store: store, rules: rules, announcer: announcer)
        self.exports = exports
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        guard await options.retry.retrying("creating projection indexes", logger: logger, { () async throws(StoreError) in
            try await store.prepare()
        }) != nil else { return }
        logger.info("projection worker ready")
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let deliveries = await cancelWhenGracefulShutdown { await source.nextBatch(max: options.batchSize) }
            guard !deliveries.isEmpty else { continue }
            await project(deliveries)
        }
    }

    private func project(_ deliveries: [Delivery]) async {
        let started = ContinuousClock.now
        var inputs: [ProjectionInput] = []
        var settlements: [(DeliveryTag, Settlement)] = []
        for delivery in deliveries {
            do {
                let id = delivery.messageID.flatMap { $0.isEmpty ? nil : $0 } ?? IdempotencyKey.of(delivery.body)
                inputs.append(try ProjectionInput.from(body: delivery.body, id: id, rules: rules))
                settlements.append((delivery.tag, .ack))
            } catch {
                logger.error("event cannot be projected, dead-lettered",
                             metadata: ["message_id": "\(delivery.messageID ?? "-")", "event": "\(delivery.routingKey)", "error": "\(error)"])
                settlements.append((delivery.tag, .deadLetter(reason: "not a Zoom meeting event: \(error)")))
            }
        }
        // The store being away passes; a document it refuses does not (`StoreError.retryAdvice`),
        // and the batch goes back to the queue, where the delivery limit ends a loop.
        let announced = await options.retry.retrying("projecting a batch", logger: logger) {
            try await pass.apply(inputs)
        }
        guard let announced else {
            source.settle(deliveries.map { ($0.tag, .requeue) })
            return
        }
        for incident in announced {
            logger.notice("collective disconnection", metadata: [
                "meeting_id": "\(incident.meetingID)", "participants": "\(incident.participantCount)", "incident": "\(incident.id)"])
        }
        source.settle(settlements)
        exports?.markChanged()
        Metrics.Timer(label: "lookout_projection_batch_seconds").recordInterval(since: started)
        // Projection lag: from the webhook's arrival to its effect on the projections.
        let lag = Metrics.Timer(label: "lookout_projection_lag_seconds")
        let now = Date()
        for case let received? in deliveries.map(\.timestamp) {
            lag.recordNanoseconds(Int64(max(0, now.timeIntervalSince(received)) * 1e9))
        }
    }
}
