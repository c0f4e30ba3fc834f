import LookoutCore
import ZoomModel

/// A notice waiting to be posted, and the deliveries that must be settled once it is.
public struct PendingNotice: Sendable {
    /// The delivery the notice came from; for a pair, the half that arrived first.
    public let delivery: DeliveryTag
    public let notice: Notice
    /// For a pair: both halves as they came, to split it again if one is taken back.
    let halves: [PendingNotice]
    /// A join or a leave that may still meet its other half (read once, compared often).
    let half: NoticePair.Half?

    init(delivery: DeliveryTag, notice: Notice, halves: [PendingNotice] = []) {
        self.delivery = delivery
        self.notice = notice
        self.halves = halves
        half = halves.isEmpty ? NoticePair.Half(notice) : nil
    }

    /// Every delivery this notice settles: one, or both halves of a pair.
    public var deliveries: [DeliveryTag] { halves.isEmpty ? [delivery] : halves.map(\.delivery) }
}

/// Notices for one target that go out together as one attachment.
public struct NoticeGroup: Sendable {
    public let target: NotifyTarget
    public let dueAt: ContinuousClock.Instant
    public internal(set) var items: [PendingNotice]
    /// False: settled when due without a post (pairing-only notices, moves a route skips).
    public let isPosted: Bool
    /// nil: takes no other notices.
    fileprivate let key: Key?

    fileprivate struct Key: Hashable {
        let target: NotifyTarget
        let meeting: String
        let kind: NoticeKind
        let posted: Bool
    }

    fileprivate init(target: NotifyTarget, dueAt: ContinuousClock.Instant, items: [PendingNotice], isPosted: Bool = true, key: Key?) {
        self.target = target
        self.dueAt = dueAt
        self.items = items
        self.isPosted = isPosted
        self.key = key
    }

    public var notices: [Notice] { items.map(\.notice) }
}

/// Gathers people coming and going per target, meeting and kind for a short window, so a class
/// starting becomes one post ("14 joined …") instead of a flood. The window opens with the first
/// notice; a group that is due but waits for its hook's rate limit keeps taking notices, so
/// pressure makes groups bigger rather than posts more frequent. Other kinds are due at once.
///
/// A left and a joined still waiting that are one thing (`NoticePair`) are told as one: a move
/// as one `moved` notice (or nothing, as the route's `Pairing` says), a reconnect as one
/// `reconnected` notice, grouped like the rest.
public struct NoticeCoalescer: Sendable {
    public let window: Duration
    /// In opening order.
    private var groups: [NoticeGroup] = []

    public init(window: Duration) {
        self.window = window
    }

    public var isEmpty: Bool { groups.isEmpty }

    public mutating func add(_ notice: Notice, delivery: DeliveryTag, target: NotifyTarget, now: ContinuousClock.Instant,
                             pairing: Pairing = Pairing()) {
        let item = PendingNotice(delivery: delivery, notice: notice)
        if let (pair, group, index) = partner(of: item, target: target, pairing: pairing) {
            let other = groups[group].items.remove(at: index)
            let dueAt = groups[group].dueAt
            if groups[group].items.isEmpty { groups.remove(at: group) }
            let (leave, join) = notice.event.name == ZoomEventName.participantLeft ? (notice, other.notice) : (other.notice, notice)
            let merged = PendingNotice(delivery: other.delivery, notice: pair.notice(leave: leave, join: join), halves: [other, item])
            if pair.isPosted(pairing) {
                place(merged, target: target, posted: true, dueAt: dueAt)
            } else {
                // Nothing to wait for, and nothing to share a group with.
                groups.append(NoticeGroup(target: target, dueAt: now, items: [merged], isPosted: false, key: nil))
            }
            return
        }
        guard notice.kind.coalesces else {
            groups.append(NoticeGroup(target: target, dueAt: now, items: [item], key: nil))
            return
        }
        place(item, target: target, posted: !notice.pairingOnly, dueAt: now + window)
    }

    /// Joins the group of the item's kind, or opens one due at `dueAt`.
    private mutating func place(_ item: PendingNotice, target: NotifyTarget, posted: Bool, dueAt: ContinuousClock.Instant) {
        let key = NoticeGroup.Key(target: target, meeting: item.notice.event.meeting.instance, kind: item.notice.kind, posted: posted)
        if let index = groups.firstIndex(where: { $0.key == key }) {
            groups[index].items.append(item)
        } else {
            groups.append(NoticeGroup(target: target, dueAt: dueAt, items: [item], isPosted: posted, key: key))
        }
    }

    /// The oldest waiting notice of `target` that makes a pair with `notice`: a move first, then
    /// (if the route posts them) a reconnect.
    private func partner(of item: PendingNotice, target: NotifyTarget, pairing: Pairing) -> (NoticePair, group: Int, index: Int)? {
        guard let half = item.half else { return nil }
        let isLeave = half.movement.direction == .leave
        var reconnect: (NoticePair, group: Int, index: Int)?
        // Only the other direction in the same occurrence: a storm of joins looks at few leaves.
        for (group, candidate) in groups.enumerated() {
            guard candidate.target == target, let key = candidate.key, key.meeting == half.movement.instance,
                  key.kind.isHalf, (key.kind == .joined) == isLeave else { continue }
            for (index, waiting) in candidate.items.enumerated() {
                guard let other = waiting.half else { continue }
                switch isLeave ? NoticePair(leave: half, join: other) : NoticePair(leave: other, join: half) {
                case .move: return (.move, group, index)
                case .reconnect where pairing.postsReconnects && reconnect == nil: reconnect = (.reconnect, group, index)
                default: break
                }
            }
        }
        return reconnect
    }

    /// Targets with notices waiting to be posted, the longest-waiting first.
    public var targets: [NotifyTarget] {
        var seen = Set<NotifyTarget>()
        return groups.filter(\.isPosted).map(\.target).filter { seen.insert($0).inserted }
    }

    /// When the first group of `target` to be posted is due.
    public func earliestDue(for target: NotifyTarget) -> ContinuousClock.Instant? {
        groups.lazy.filter { $0.target == target && $0.isPosted }.map(\.dueAt).min()
    }

    /// Removes and returns up to `limit` due groups of `target` to be posted, oldest first.
    public mutating func takeDue(for target: NotifyTarget, now: ContinuousClock.Instant, limit: Int) -> [NoticeGroup] {
        var taken: [NoticeGroup] = []
        groups.removeAll { group in
            guard taken.count < limit, group.target == target, group.isPosted, group.dueAt <= now else { return false }
            taken.append(group)
            return true
        }
        return taken
    }

    /// When the first group that is not posted is due.
    public var earliestUnpostedDue: ContinuousClock.Instant? {
        groups.lazy.filter { !$0.isPosted }.map(\.dueAt).min()
    }

    /// Removes and returns the due groups that are not posted (of every target).
    public mutating func takeDueUnposted(now: ContinuousClock.Instant) -> [NoticeGroup] {
        var taken: [NoticeGroup] = []
        groups.removeAll { group in
            guard !group.isPosted, group.dueAt <= now else { return false }
            taken.append(group)
            return true
        }
        return taken
    }

    /// Drops the notices of some deliveries (those the broker is redelivering anyway). A pair
    /// that loses one half keeps the other, waiting alone again.
    public mutating func remove(deliveries isDropped: (DeliveryTag) -> Bool) {
        var survivors: [(PendingNotice, NotifyTarget, ContinuousClock.Instant)] = []
        for index in groups.indices {
            for item in groups[index].items where !item.halves.isEmpty {
                for half in item.halves where !isDropped(half.delivery) && item.deliveries.contains(where: isDropped) {
                    survivors.append((half, groups[index].target, groups[index].dueAt))
                }
            }
            groups[index].items.removeAll { $0.deliveries.contains(where: isDropped) }
        }
        groups.removeAll { $0.items.isEmpty }
        for (half, target, dueAt) in survivors {
            place(half, target: target, posted: !half.notice.pairingOnly, dueAt: dueAt)
        }
    }

    /// Empties the coalescer (shutdown: what was not posted goes back to the queue).
    public mutating func removeAll() -> [NoticeGroup] {
        defer { groups.removeAll() }
        return groups
    }
}
