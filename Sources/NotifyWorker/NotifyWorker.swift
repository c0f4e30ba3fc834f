import Foundation
import Logging
import LookoutCore
import Metrics
import Notifier
import ServiceLifecycle
import Synchronization

/// Posts Mattermost notices for the deliveries of the notify queue. A delivery is acked only
/// once every hook it was owed to answered 200, or once its copy for a later attempt (delay
/// queue) or for the parking queue was confirmed by the broker.
///
/// Two loops share a `NotifyDesk`: intake plans deliveries as they come; dispatch starts posts
/// when their group is due and their hook has a token, and sleeps until the next of those
/// moments or until something changes. Waiting for a window or a token never blocks intake.
public struct NotifyWorker: Service, CustomStringConvertible {
    public struct Options: Sendable {
        /// Most deliveries taken from the consumer at once.
        public var batchSize = 500
        /// Message ids remembered as fully posted, so a redelivery is not posted twice.
        public var rememberedPosts = 50_000
        public var outbox = NoticeOutbox.Settings()
        public init() {}
    }

    private let source: any DeliverySource
    private let retries: any RetryScheduler
    private let mattermost: any MattermostWebhooks
    private let planner: NoticePlanner
    private let options: Options
    private let logger: Logger
    private let posted: PostedMessages

    public init(source: any DeliverySource, retries: any RetryScheduler, mattermost: any MattermostWebhooks,
                planner: NoticePlanner, options: Options = .init(), logger: Logger) {
        self.source = source
        self.retries = retries
        self.mattermost = mattermost
        self.planner = planner
        self.options = options
        self.logger = logger
        posted = PostedMessages(capacity: max(1, options.rememberedPosts))
    }

    /// Short, and free of the hook URLs and keys the settings hold (ServiceLifecycle logs it).
    public var description: String { "NotifyWorker" }

    /// Until graceful shutdown: then no new post starts, the posts in flight finish and are
    /// settled, and everything else is handed back. On cancellation it stops settling at once,
    /// as a crash would: the broker redelivers whatever was not acked.
    public func run() async {
        let desk = NotifyDesk(planner: planner, outbox: NoticeOutbox(rules: planner.rules, settings: options.outbox))
        let doorbell = Doorbell()
        logger.info("notify worker ready", metadata: [
            "routes": "\(planner.rules.routes.count)", "hooks": "\(planner.rules.hooks.count)",
            "unmatched": "\(planner.rules.unmatched == nil ? "dropped" : "posted")",
            "window": "\(options.outbox.window)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await intake(desk, doorbell) }
            while !Task.isCancelled {
                let step = desk.step(now: .now)
                for post in step.posts {
                    group.addTask { await send(post, desk, doorbell) }
                }
                if !step.settled.isEmpty {
                    group.addTask { await settle(step.settled) }
                }
                if step.finished { break }
                await doorbell.wait(until: step.wakeUp)
            }
            if Task.isCancelled { return }
            await settle(desk.abandon())
        }
        logger.info("notify worker stopped")
    }

    private func intake(_ desk: NotifyDesk, _ doorbell: Doorbell) async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let deliveries = await cancelWhenGracefulShutdown { await source.nextBatch(max: options.batchSize) }
            guard !deliveries.isEmpty else { continue }
            var settlements: [(DeliveryTag, Settlement)] = []
            let (repeats, fresh) = posted.split(deliveries)
            for delivery in repeats {
                logger.debug("already posted, not again", metadata: metadata(delivery, [:]))
                settlements.append((delivery.tag, .ack))
                count("already_posted")
            }
            for (delivery, plan) in desk.accept(fresh, now: .now) {
                switch plan {
                case .skip(let why):
                    logger.debug("nothing to post", metadata: metadata(delivery, ["why": "\(why)"]))
                    settlements.append((delivery.tag, .ack))
                    count("skipped")
                case .reject(let why):
                    logger.error("event cannot be posted, dead-lettered", metadata: metadata(delivery, ["reason": "\(why)"]))
                    settlements.append((delivery.tag, .deadLetter(reason: why)))
                    count("dead_lettered")
                case .post:
                    break
                }
            }
            source.settle(settlements)
            doorbell.ring()
        }
        desk.closeIntake()
        doorbell.ring()
    }

    private func send(_ post: NoticeOutbox.OutgoingPost, _ desk: NotifyDesk, _ doorbell: Doorbell) async {
        let started = ContinuousClock.now
        let outcome = await mattermost.post(post.post, to: post.hook)
        guard !Task.isCancelled else { return }
        Metrics.Timer(label: "lookout_notify_post_seconds").recordInterval(since: started)
        Counter(label: "lookout_notify_posts_total", dimensions: [("hook", post.hook.name), ("outcome", outcome.metricLabel)]).increment()
        let details: Logger.Metadata = ["hook": "\(post.hook.name)", "route": "\(post.target.route)",
                                        "notices": "\(post.notices)", "attachments": "\(post.post.attachments.count)"]
        switch outcome {
        case .delivered:
            logger.debug("posted", metadata: details)
        case .rateLimited(let retryAfter):
            logger.warning("Mattermost rate limit, pausing the hook", metadata: details.merging(["retry_after": "\(retryAfter)"]) { $1 })
        case .failed(let reason):
            logger.warning("post failed, will retry", metadata: details.merging(["error": "\(reason)", "url": "\(post.hook.url)"]) { $1 })
        case .rejected(let status, let errorID, let message):
            logger.error("Mattermost refused the post, parking its notices", metadata: details.merging([
                "status": "\(status)", "error_id": "\(errorID ?? "-")", "error": "\(message)", "url": "\(post.hook.url)"]) { $1 })
        }
        await settle(desk.record(outcome, forPost: post.id, now: .now))
        doorbell.ring()
    }

    /// Sends retries and parked copies on (confirmed), then acks; a copy the broker did not take
    /// leaves its delivery requeued instead, so nothing is lost.
    private func settle(_ decisions: [DeliveryDecision]) async {
        guard !decisions.isEmpty else { return }
        let settlements = await withTaskGroup(of: (DeliveryTag, Settlement).self) { group in
            for decision in decisions {
                group.addTask { await settlement(for: decision) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        source.settle(settlements)
    }

    private func settlement(for decision: DeliveryDecision) async -> (DeliveryTag, Settlement) {
        let delivery = decision.delivery
        switch decision {
        case .ack:
            count("posted")
            posted.remember(delivery)
            return (delivery.tag, .ack)
        case .requeue:
            count("handed_back")
            return (delivery.tag, .requeue)
        case .forward(_, let retry, let park):
            do {
                if let retry {
                    try await retries.retry(delivery, after: retry.delay, headers: [
                        NotifyHeader.targets: .string(NotifyTarget.header(retry.targets)),
                        MessageHeader.attempt: .integer(Int64(retry.attempt))])
                    logger.info("notice will be retried", metadata: metadata(delivery, [
                        "targets": "\(NotifyTarget.header(retry.targets))", "attempt": "\(retry.attempt)",
                        "delay": "\(retry.delay)", "reason": "\(retry.reason)"]))
                    count("retried")
                }
                if let park {
                    // A replayed copy (`lookout dlq replay`) starts its attempts afresh.
                    var headers: [String: HeaderValue] = [NotifyHeader.targets: .string(NotifyTarget.header(park.targets)),
                                                          MessageHeader.error: .string(park.reason), MessageHeader.attempt: .integer(0)]
                    if let errorID = park.errorID { headers[NotifyHeader.mattermostErrorID] = .string(errorID) }
                    try await retries.park(delivery, headers: headers)
                    logger.error("notice parked", metadata: metadata(delivery, [
                        "targets": "\(NotifyTarget.header(park.targets))", "error_id": "\(park.errorID ?? "-")", "reason": "\(park.reason)"]))
                    count("parked")
                }
                return (delivery.tag, .ack)
            } catch {
                logger.error("broker did not take the copy, requeueing", metadata: metadata(delivery, ["error": "\(error)"]))
                return (delivery.tag, .requeue)
            }
        }
    }

    /// What became of a delivery: posted, already_posted, retried, parked, skipped, dead_lettered, handed_back.
    private func count(_ outcome: String) {
        Counter(label: "lookout_notify_notices_total", dimensions: [("outcome", outcome)]).increment()
    }

    private func metadata(_ delivery: Delivery, _ extra: Logger.Metadata) -> Logger.Metadata {
        extra.merging(["message_id": "\(delivery.messageID ?? "-")", "event": "\(delivery.routingKey)"]) { $1 }
    }
}

private extension PostOutcome {
    var metricLabel: String {
        switch self {
        case .delivered: "delivered"
        case .rateLimited: "rate_limited"
        case .failed: "failed"
        case .rejected: "rejected"
        }
    }
}

/// `RecentlyPosted` shared by the intake and the settling tasks.
final class PostedMessages: Sendable {
    private let ids: Mutex<RecentlyPosted>

    init(capacity: Int) {
        ids = Mutex(RecentlyPosted(capacity: capacity))
    }

    /// Deliveries of messages already posted, and the others, each in arrival order.
    func split(_ deliveries: [Delivery]) -> (repeats: [Delivery], fresh: [Delivery]) {
        ids.withLock { ids in
            var repeats: [Delivery] = [], fresh: [Delivery] = []
            for delivery in deliveries {
                if let id = delivery.messageID, ids.contains(id) { repeats.append(delivery) } else { fresh.append(delivery) }
            }
            return (repeats, fresh)
        }
    }

    func remember(_ delivery: Delivery) {
        guard let id = delivery.messageID else { return }
        ids.withLock { $0.insert(id) }
    }
}
