import LookoutCore
import ZoomModel

/// Turns a delivery into the notices each route may post about it: decodes the event, routes its
/// meeting, applies each route's kinds and privacy. Remembers joins to tell time in room on leave.
public struct NoticePlanner: Sendable {
    public enum Plan: Sendable {
        /// Nothing to post (not configured, no route wants it): ack.
        case skip(String)
        /// Can never be posted (not an event at all): dead-letter.
        case reject(String)
        case post([(target: NotifyTarget, notice: Notice)])
    }

    public let rules: NotifyRules
    /// The binding keys the notify queue is configured with; anything else that arrives is skipped.
    public let events: [String]
    private let pseudonyms: Pseudonyms?
    private var joins = JoinTimes()

    public init(rules: NotifyRules, events: [String], pseudonyms: Pseudonyms?) {
        self.rules = rules
        self.events = events
        self.pseudonyms = pseudonyms
    }

    public mutating func plan(_ delivery: Delivery) -> Plan {
        guard events.contains(where: { TopicBinding.matches($0, delivery.routingKey) }) else {
            return .skip("\(delivery.routingKey) is not among the configured events")
        }
        let event: ZoomEvent
        do { event = try ZoomEvent.decode(delivery.body) } catch { return .reject(error.description) }
        let kind = NoticeKind(event)
        // Joins and leaves filled in after the meeting are history: the repair summary tells them.
        if delivery.source == .reconcile, kind.isHalf || kind == .reconnected {
            return .skip("filled in from Zoom's record: told by the repair summary")
        }
        var timeInRoom: Double?
        switch kind {
        case .joined: joins.remember(event)
        case .left, .disconnected: timeInRoom = joins.timeInRoom(event)
        default: break
        }
        // A retried copy is owed only to the targets that failed; the others already have it.
        let owed = delivery.headers[NotifyHeader.targets]?.string.map { Set(NotifyTarget.parse(header: $0)) }
        var notices: [(target: NotifyTarget, notice: Notice)] = []
        for route in rules.routes(for: event.meeting) {
            // A half of a move or a reconnect that the route does not post alone still waits for
            // the other half: a plain-reason move must not reach a leaves-only route as "left".
            let pairingOnly = !route.posts(kind)
            guard !pairingOnly || (kind.isHalf && route.postsPresence),
                  let shown = route.privacy.apply(to: event, pseudonyms: pseudonyms) else { continue }
            let notice = Notice(kind: kind, event: shown, source: delivery.source, timeInRoom: timeInRoom, pairingOnly: pairingOnly)
            for target in route.targets where owed?.contains(target) ?? true {
                notices.append((target, notice))
            }
        }
        return notices.isEmpty ? .skip("no route posts this \(kind.rawValue) notice") : .post(notices)
    }
}

/// Message headers the notifier sets on the copies it retries or parks.
public enum NotifyHeader {
    /// The targets ("route/hook,…") a copy is still owed to; the others already have it.
    public static let targets = "lookout-notify-targets"
    /// Mattermost's error id for a parked copy (`web.incoming_webhook.invalid.app_error`, …).
    public static let mattermostErrorID = "lookout-mattermost-error-id"
}
