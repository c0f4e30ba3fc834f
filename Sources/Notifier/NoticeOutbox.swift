import LookoutCore

/// The notifier's state between deliveries in and posts out, free of I/O and of clocks (the
/// caller passes `now`): notices wait in the coalescer, posts leave when their group is due and
/// their hook has a token (one post in flight per hook), and a delivery is decided only once
/// every target it was owed to has answered. What a route does not post (a move it skips, a
/// half that waited for its other half in vain) is settled for that target by `takeSettled`.
public struct NoticeOutbox: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public struct Settings: Sendable {
        /// How long a group of joins/leaves stays open after its first notice.
        public var window = ConfigurationKeys.Notify.window.defaultValue
        /// Most groups (attachments) of one target in one post.
        public var maxAttachments = 10
        /// Delays between failed attempts (5xx, network), its steps the delay queues; a notice
        /// is parked instead of retried after `attempts` failed ones.
        public var retry = RetryPolicy(initial: ConfigurationKeys.Notify.retryInitial.defaultValue,
                                       maximum: ConfigurationKeys.Notify.retryMaximum.defaultValue,
                                       attempts: ConfigurationKeys.Notify.maxAttempts.defaultValue)

        public init() {}
    }

    public struct OutgoingPost: Sendable {
        public let id: Int
        public let hook: Hook
        public let target: NotifyTarget
        public let post: MattermostPost
        public let notices: Int
    }

    private struct InFlight {
        let hook: String
        let target: NotifyTarget
        let deliveries: [DeliveryTag]
    }

    public let rules: NotifyRules
    public let settings: Settings
    private var coalescer: NoticeCoalescer
    private var buckets: [String: TokenBucket] = [:]
    private var progress: [DeliveryTag: DeliveryProgress] = [:]
    private var inFlight: [Int: InFlight] = [:]
    private var nextPostID = 1
    /// The consumer's current broker connection: deliveries of an older one are being redelivered.
    private var connection: UInt64 = 0

    public init(rules: NotifyRules, settings: Settings) {
        self.rules = rules
        self.settings = settings
        coalescer = NoticeCoalescer(window: settings.window)
    }

    /// Deliveries taken in and not yet decided.
    public var pendingDeliveries: Int { progress.count }
    public var postsInFlight: Int { inFlight.count }

    public mutating func add(_ delivery: Delivery, notices: [(target: NotifyTarget, notice: Notice)], now: Instant) {
        if delivery.tag.connection > connection { forgetConnections(before: delivery.tag.connection) }
        guard progress[delivery.tag] == nil, !notices.isEmpty else { return }
        progress[delivery.tag] = DeliveryProgress(delivery: delivery, targets: Set(notices.map(\.target)))
        for (target, notice) in notices {
            coalescer.add(notice, delivery: delivery.tag, target: target, now: now,
                          pairing: rules.route(named: target.route)?.pairing ?? Pairing())
        }
    }

    /// Posts that may go now; each takes its hook's token and keeps the hook busy until recorded.
    public mutating func takeReady(now: Instant) -> [OutgoingPost] {
        var posts: [OutgoingPost] = []
        for target in coalescer.targets {
            guard let hook = rules.hooks[target.hook], let route = rules.route(named: target.route), !isBusy(hook.name),
                  let due = coalescer.earliestDue(for: target), due <= now,
                  takeToken(hook, now) else { continue }
            let groups = coalescer.takeDue(for: target, now: now, limit: settings.maxAttachments)
            let post = MattermostPost(channel: route.channel, username: route.username, iconURL: route.iconURL,
                                      iconEmoji: route.iconEmoji,
                                      attachments: groups.map { MessageAttachment.group($0.notices, style: route.style) })
            let id = nextPostID
            nextPostID += 1
            inFlight[id] = InFlight(hook: hook.name, target: target, deliveries: groups.flatMap { $0.items.flatMap(\.deliveries) })
            posts.append(OutgoingPost(id: id, hook: hook, target: target, post: post, notices: groups.map(\.items.count).reduce(0, +)))
        }
        return posts
    }

    /// Settles the due notices that are not posted (a pair the route skips, a pairing-only half
    /// that met no other half): for their targets they count as done. Returns the deliveries
    /// now decided.
    public mutating func takeSettled(now: Instant) -> [DeliveryDecision] {
        coalescer.takeDueUnposted(now: now).flatMap { group in
            resolve(group.items.flatMap(\.deliveries), for: group.target, as: .delivered)
        }
    }

    /// When `takeReady` or `takeSettled` may next return something (nil: only a new delivery or
    /// an answer can change that).
    public func nextWakeUp(now: Instant) -> Instant? {
        var earliest = coalescer.earliestUnpostedDue
        for target in coalescer.targets {
            guard let hook = rules.hooks[target.hook], !isBusy(hook.name), let due = coalescer.earliestDue(for: target) else { continue }
            let ready = max(due, buckets[hook.name]?.nextToken(now: now) ?? now)
            earliest = min(earliest ?? ready, ready)
        }
        return earliest
    }

    /// Takes Mattermost's answer to a post; returns the deliveries now decided.
    public mutating func record(_ outcome: PostOutcome, forPost id: Int, now: Instant) -> [DeliveryDecision] {
        guard let flight = inFlight.removeValue(forKey: id) else { return [] }
        if case .rateLimited(let retryAfter) = outcome { buckets[flight.hook]?.pause(until: now + retryAfter) }
        return resolve(flight.deliveries, for: flight.target, as: outcome)
    }

    /// Records what became of some deliveries at one target; returns those now decided.
    private mutating func resolve(_ tags: [DeliveryTag], for target: NotifyTarget, as outcome: PostOutcome) -> [DeliveryDecision] {
        var decisions: [DeliveryDecision] = []
        for tag in tags where tag.connection == connection {
            guard var state = progress[tag] else { continue }
            state.record(outcome, for: target)
            if state.unresolved.isEmpty {
                progress[tag] = nil
                decisions.append(state.decision(retry: settings.retry))
            } else {
                progress[tag] = state
            }
        }
        return decisions
    }

    /// Shutdown, after the posts in flight were recorded: deliveries nothing was posted for go
    /// back to the queue; one already posted to some of its targets is retried for the others
    /// only, so the next worker does not post it twice.
    public mutating func abandon() -> [DeliveryDecision] {
        _ = coalescer.removeAll()
        let inFlightTags = Set(inFlight.values.flatMap(\.deliveries))
        var decisions: [DeliveryDecision] = []
        for (tag, var state) in progress.sorted(by: { $0.key < $1.key }) where !inFlightTags.contains(tag) {
            progress[tag] = nil
            if state.nothingAnswered {
                decisions.append(.requeue(state.delivery))
                continue
            }
            state.postponeUnresolved()
            decisions.append(state.decision(retry: settings.retry))
        }
        return decisions
    }

    /// The consumer reconnected: the broker takes back what the old connection delivered and
    /// redelivers it, so what is not posted yet is dropped here rather than posted twice (what is
    /// in flight is posted, and forgotten once answered).
    private mutating func forgetConnections(before current: UInt64) {
        connection = current
        coalescer.remove { $0.connection < current }
        progress = progress.filter { $0.key.connection >= current }
    }

    private func isBusy(_ hook: String) -> Bool { inFlight.values.contains { $0.hook == hook } }

    private mutating func takeToken(_ hook: Hook, _ now: Instant) -> Bool {
        var bucket = buckets[hook.name] ?? TokenBucket(rate: hook.ratePerSecond, burst: hook.burst)
        defer { buckets[hook.name] = bucket }
        return bucket.take(now: now)
    }
}
