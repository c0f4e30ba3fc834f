import LookoutCore

/// A notice waiting to be posted, and the delivery that must be settled once it is.
public struct PendingNotice: Sendable {
    public let delivery: DeliveryTag
    public let notice: Notice
}

/// Notices for one target that go out together as one attachment.
public struct NoticeGroup: Sendable {
    public let target: NotifyTarget
    public let dueAt: ContinuousClock.Instant
    public internal(set) var items: [PendingNotice]
    fileprivate let key: Key?

    fileprivate struct Key: Hashable {
        let target: NotifyTarget
        let meeting: String
        let kind: NoticeKind
    }

    public var notices: [Notice] { items.map(\.notice) }
}

/// Gathers people coming and going per target, meeting and kind for a short window, so a class
/// starting becomes one post ("14 joined …") instead of a flood. The window opens with the first
/// notice; a group that is due but waits for its hook's rate limit keeps taking notices, so
/// pressure makes groups bigger rather than posts more frequent. Other kinds are due at once.
public struct NoticeCoalescer: Sendable {
    public let window: Duration
    /// In opening order.
    private var groups: [NoticeGroup] = []

    public init(window: Duration) {
        self.window = window
    }

    public var isEmpty: Bool { groups.isEmpty }

    public mutating func add(_ notice: Notice, delivery: DeliveryTag, target: NotifyTarget, now: ContinuousClock.Instant) {
        let item = PendingNotice(delivery: delivery, notice: notice)
        guard notice.kind.coalesces else {
            groups.append(NoticeGroup(target: target, dueAt: now, items: [item], key: nil))
            return
        }
        let key = NoticeGroup.Key(target: target, meeting: notice.event.meeting.instanceKey, kind: notice.kind)
        if let index = groups.firstIndex(where: { $0.key == key }) {
            groups[index].items.append(item)
        } else {
            groups.append(NoticeGroup(target: target, dueAt: now + window, items: [item], key: key))
        }
    }

    /// Targets with notices waiting, the longest-waiting first.
    public var targets: [NotifyTarget] {
        var seen = Set<NotifyTarget>()
        return groups.map(\.target).filter { seen.insert($0).inserted }
    }

    /// When the first group of `target` is due.
    public func earliestDue(for target: NotifyTarget) -> ContinuousClock.Instant? {
        groups.lazy.filter { $0.target == target }.map(\.dueAt).min()
    }

    /// Removes and returns up to `limit` due groups of `target`, oldest first.
    public mutating func takeDue(for target: NotifyTarget, now: ContinuousClock.Instant, limit: Int) -> [NoticeGroup] {
        var taken: [NoticeGroup] = []
        groups.removeAll { group in
            guard taken.count < limit, group.target == target, group.dueAt <= now else { return false }
            taken.append(group)
            return true
        }
        return taken
    }

    /// Drops the notices of some deliveries (those the broker is redelivering anyway).
    public mutating func remove(deliveries isDropped: (DeliveryTag) -> Bool) {
        for index in groups.indices { groups[index].items.removeAll { isDropped($0.delivery) } }
        groups.removeAll { $0.items.isEmpty }
    }

    /// Empties the coalescer (shutdown: what was not posted goes back to the queue).
    public mutating func removeAll() -> [NoticeGroup] {
        defer { groups.removeAll() }
        return groups
    }
}
