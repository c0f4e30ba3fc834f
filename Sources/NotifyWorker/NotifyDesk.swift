import LookoutCore
import Notifier
import Synchronization

/// The planner and the outbox behind one lock, shared by the intake loop, the dispatch loop
/// and the posts in flight. Every call is short and synchronous.
final class NotifyDesk: Sendable {
    private struct State {
        var planner: NoticePlanner
        var outbox: NoticeOutbox
        var intakeClosed = false
    }

    struct Step {
        let posts: [NoticeOutbox.OutgoingPost]
        /// Deliveries decided without a post (a move the route skips, a half that stayed alone).
        let settled: [DeliveryDecision]
        let wakeUp: ContinuousClock.Instant?
        /// Intake closed and no post in flight: time to hand back what is left.
        let finished: Bool
    }

    private let state: Mutex<State>

    init(planner: NoticePlanner, outbox: NoticeOutbox) {
        state = Mutex(State(planner: planner, outbox: outbox))
    }

    /// Plans each delivery; returns those settled at once (nothing to post, or never postable).
    func accept(_ deliveries: [Delivery], now: ContinuousClock.Instant) -> [(Delivery, NoticePlanner.Plan)] {
        state.withLock { state in
            var immediate: [(Delivery, NoticePlanner.Plan)] = []
            for delivery in deliveries {
                let plan = state.planner.plan(delivery)
                if case .post(let notices) = plan {
                    state.outbox.add(delivery, notices: notices, now: now)
                } else {
                    immediate.append((delivery, plan))
                }
            }
            return immediate
        }
    }

    /// Once intake is closed, no new post starts: what is not posted yet goes back to the queue.
    func closeIntake() {
        state.withLock { $0.intakeClosed = true }
    }

    func step(now: ContinuousClock.Instant) -> Step {
        state.withLock { state in
            if state.intakeClosed {
                return Step(posts: [], settled: [], wakeUp: nil, finished: state.outbox.postsInFlight == 0)
            }
            let settled = state.outbox.takeSettled(now: now)
            let posts = state.outbox.takeReady(now: now)
            return Step(posts: posts, settled: settled, wakeUp: state.outbox.nextWakeUp(now: now), finished: false)
        }
    }

    func record(_ outcome: PostOutcome, forPost id: Int, now: ContinuousClock.Instant) -> [DeliveryDecision] {
        state.withLock { $0.outbox.record(outcome, forPost: id, now: now) }
    }

    func abandon() -> [DeliveryDecision] {
        state.withLock { $0.outbox.abandon() }
    }
}
