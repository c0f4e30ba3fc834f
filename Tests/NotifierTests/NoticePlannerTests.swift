import Foundation
import LookoutCore
import LookoutTestSupport
import Testing
@testable import Notifier
import ZoomModel

@Suite struct NoticePlannerTests {
    let rules = NotifyRules(
        hooks: ["chat": Hook(name: "chat", url: WebhookURL("https://x/hooks/1")), "ops": Hook(name: "ops", url: WebhookURL("https://x/hooks/2"))],
        routes: [Route(name: "biology", meetings: MeetingFilter(topics: ["Biology*"]), hooks: ["chat", "ops"], style: utc),
                 Route(name: "leaves", hooks: ["ops"], kinds: [.left, .disconnected], style: utc)],
        unmatched: nil)
    let events = ["meeting.participant_joined", "meeting.participant_left", "meeting.started", "lookout.incident.#"]

    /// The targets that post the notice (not those where it only waits for its other half).
    func targets(_ plan: NoticePlanner.Plan) -> [String] {
        if case .post(let notices) = plan { notices.filter { !$0.notice.pairingOnly }.map(\.target.description) } else { [] }
    }

    func pairingOnly(_ plan: NoticePlanner.Plan) -> [String] {
        if case .post(let notices) = plan { notices.filter(\.notice.pairingOnly).map(\.target.description) } else { [] }
    }

    @Test func aJoinGoesToEveryHookOfEveryMatchingRouteThatWantsItsKind() throws {
        var planner = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        let join = planner.plan(Delivery.test(1, body: try Fixture.bytes("participant_joined")))
        #expect(targets(join) == ["biology/chat", "biology/ops"])
        // The leaves route posts no joins, but a join may turn a plain "left" into a move there.
        #expect(pairingOnly(join) == ["leaves/ops"])
        #expect(targets(planner.plan(Delivery.test(2, body: try Fixture.bytes("participant_left"), routingKey: "meeting.participant_left")))
            == ["biology/chat", "biology/ops", "leaves/ops"])
    }

    @Test func aRouteThatSkipsMovesKeepsAMoveReasonLeaveOnlyToMeetItsJoin() throws {
        let skipping = NotifyRules(hooks: rules.hooks, routes: [Route(name: "quiet", hooks: ["chat"], moves: .skip, style: utc)], unmatched: nil)
        var planner = NoticePlanner(rules: skipping, events: events, pseudonyms: nil)
        let breakout = planner.plan(Delivery.test(1, body: try Fixture.bytes("participant_left_breakout"), routingKey: "meeting.participant_left"))
        #expect(targets(breakout).isEmpty)
        #expect(pairingOnly(breakout) == ["quiet/chat"])
        let meetingsOnly = NotifyRules(hooks: rules.hooks, routes: [Route(name: "m", hooks: ["chat"], kinds: [.meetingStarted], style: utc)], unmatched: nil)
        var other = NoticePlanner(rules: meetingsOnly, events: events, pseudonyms: nil)
        guard case .skip = other.plan(Delivery.test(2, body: try Fixture.bytes("participant_joined"))) else {
            Issue.record("a route that posts nothing about people does not hold joins"); return
        }
    }

    @Test func aRetriedCopyGoesOnlyToTheTargetsItIsStillOwedTo() throws {
        var planner = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        let retried = Delivery.test(1, body: try Fixture.bytes("participant_joined"), headers: [NotifyHeader.targets: .string("biology/ops,gone/away")])
        #expect(targets(planner.plan(retried)) == ["biology/ops"])
        let orphan = Delivery.test(2, body: try Fixture.bytes("participant_joined"), headers: [NotifyHeader.targets: .string("gone/away")])
        guard case .skip = planner.plan(orphan) else { Issue.record("a target no longer configured has nothing to post"); return }
    }

    @Test func eventsOutsideTheConfiguredBindingsAreSkipped() throws {
        var planner = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        guard case .skip = planner.plan(Delivery.test(1, body: try Fixture.bytes("sharing_started"), routingKey: "meeting.sharing_started")) else {
            Issue.record("sharing is not configured"); return
        }
        let incident = Delivery.test(2, body: try Fixture.bytes("incident_collective_disconnection"), routingKey: "lookout.incident.collective_disconnection")
        #expect(targets(planner.plan(incident)) == ["biology/chat", "biology/ops"])
    }

    @Test func aBodyThatIsNoEventIsRejectedAndAnUnroutedOneSkipped() throws {
        var planner = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        guard case .reject = planner.plan(Delivery.test(1, body: Array("garbage".utf8), routingKey: "meeting.participant_joined")) else { Issue.record("garbage is rejected"); return }
        // No route posts Chemistry joins; the leaves route (every meeting) holds them only to meet a leave.
        let chemistry = planner.plan(Delivery.test(2, body: ZoomBodies.joined("X", topic: "Chemistry")))
        #expect(targets(chemistry).isEmpty && pairingOnly(chemistry) == ["leaves/ops"])
        var biologyOnly = NoticePlanner(rules: NotifyRules(hooks: rules.hooks, routes: [rules.routes[0]], unmatched: nil), events: events, pseudonyms: nil)
        guard case .skip = biologyOnly.plan(Delivery.test(3, body: ZoomBodies.joined("X", topic: "Chemistry"))) else { Issue.record("no route for chemistry joins"); return }
    }

    @Test func aLeaveTellsTheTimeInRoomFromTheJoinItSaw() throws {
        var planner = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        _ = planner.plan(Delivery.test(1, body: try Fixture.bytes("participant_joined")))
        guard case .post(let notices) = planner.plan(Delivery.test(2, body: try Fixture.bytes("participant_left"), routingKey: "meeting.participant_left")) else {
            Issue.record("the leave is posted"); return
        }
        #expect(notices.first?.notice.timeInRoom == 2598)
        var fresh = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        guard case .post(let unknown) = fresh.plan(Delivery.test(3, body: try Fixture.bytes("participant_left"), routingKey: "meeting.participant_left")) else { return }
        #expect(unknown.first?.notice.timeInRoom == nil)
    }

    @Test func topicBindingsMatchLikeRabbitMQ() {
        #expect(TopicBinding.matches("lookout.incident.#", "lookout.incident.collective_disconnection"))
        #expect(TopicBinding.matches("lookout.incident.#", "lookout.incident"))
        #expect(TopicBinding.matches("meeting.*", "meeting.started"))
        #expect(!TopicBinding.matches("meeting.*", "meeting.participant.joined"))
        #expect(TopicBinding.matches("#", "anything.at.all"))
        #expect(TopicBinding.matches("#.ended", "meeting.ended"))
        #expect(!TopicBinding.matches("meeting.started", "meeting.ended"))
    }

    @Test func retryStepsAreTheBackoffsCeilings() {
        let steps = RetryPolicy(initial: .seconds(2), maximum: .seconds(600)).steps
        #expect(steps == [2, 4, 8, 16, 32, 64, 128, 256, 512, 600].map { .seconds($0) })
        let queue = WorkQueue(name: "q", bindings: [], retryDelays: steps)
        #expect(queue.retryStep(for: .seconds(3)) == .seconds(4))
        #expect(queue.retryStep(for: .seconds(4)) == .seconds(4))
        #expect(queue.retryStep(for: .seconds(5000)) == .seconds(600))
        #expect(QueueLayout().delayQueue(for: "lookout.notify", delay: .seconds(4)) == "lookout.notify.delay.4s")
        #expect(QueueLayout().delayQueue(for: "lookout.notify", delay: .milliseconds(250)) == "lookout.notify.delay.250ms")
    }
}
