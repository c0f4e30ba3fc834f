import LookoutCore
import LookoutTestSupport
import Testing
@testable import Notifier
import ZoomModel

/// Deliveries planned and coalesced as the worker does it, on a clock the test moves; every post
/// is answered 200 at once.
struct Channel {
    let start = ContinuousClock.now
    var planner: NoticePlanner
    var outbox: NoticeOutbox
    var posts: [NoticeOutbox.OutgoingPost] = []
    var decisions: [DeliveryDecision] = []

    init(_ rules: NotifyRules, window: Duration = .seconds(3)) {
        planner = NoticePlanner(rules: rules, events: ["meeting.#"], pseudonyms: nil)
        var settings = NoticeOutbox.Settings()
        settings.window = window
        outbox = NoticeOutbox(rules: rules, settings: settings)
    }

    mutating func receive(_ tag: UInt64, _ body: [UInt8], at offset: Duration = .zero) throws {
        let name = try ZoomEvent.decode(body).name
        let delivery = Delivery.test(tag, body: body, routingKey: name)
        guard case .post(let notices) = planner.plan(delivery) else { Issue.record("nothing planned for \(tag)"); return }
        outbox.add(delivery, notices: notices, now: start + offset)
    }

    mutating func run(from: Duration = .zero, until end: Duration) {
        var now = from
        while now <= end {
            decisions += outbox.takeSettled(now: start + now)
            for post in outbox.takeReady(now: start + now) {
                posts.append(post)
                decisions += outbox.record(.delivered, forPost: post.id, now: start + now)
            }
            now += .milliseconds(100)
        }
    }

    var texts: [[String?]] { posts.map { $0.post.attachments.map(\.text) } }

    var acked: [UInt64] {
        decisions.compactMap { if case .ack(let delivery) = $0 { delivery.tag.value } else { nil } }.sorted()
    }
}

@Suite struct NoticePairTests {
    let moveOut = "participant_left_move_plain", moveIn = "participant_joined_after_move"

    /// The recorded pair: same participant_uuid, same second, plain `left the meeting`.
    @Test(arguments: [true, false])
    func aMoveIsOneMovedNoticeWhicheverHalfCameFirst(leaveFirst: Bool) throws {
        var channel = Channel(rules())
        let (first, second) = leaveFirst ? (moveOut, moveIn) : (moveIn, moveOut)
        try channel.receive(1, try Fixture.bytes(first))
        try channel.receive(2, try Fixture.bytes(second), at: .milliseconds(400))
        channel.run(until: .seconds(10))
        #expect(channel.texts == [["**Tom & Jerry** moved between rooms"]])
        #expect(channel.posts.first?.notices == 1)
        #expect(channel.acked == [1, 2])
        #expect(channel.outbox.pendingDeliveries == 0)
    }

    @Test func aMoveReasonLeaveAndItsJoinSayWhereTheyWent() throws {
        var channel = Channel(rules())
        try channel.receive(1, ZoomBodies.left("Ada", participantUUID: "a1", at: zoomTime(second: 30), reason: "left the meeting to join breakout room"))
        try channel.receive(2, ZoomBodies.joined("Ada", participantUUID: "a1", at: zoomTime(second: 30)), at: .seconds(1))
        channel.run(until: .seconds(10))
        #expect(channel.texts == [["**Ada** moved to a breakout room"]])
        #expect(channel.acked == [1, 2])
    }

    @Test func aMoveReasonLeaveWhoseJoinNeverComesIsPostedAsAMoveAlone() throws {
        var channel = Channel(rules())
        try channel.receive(1, try Fixture.bytes("participant_left_breakout"))
        channel.run(until: .milliseconds(2900))
        #expect(channel.posts.isEmpty, "it waits the window for its join")
        channel.run(from: .seconds(3), until: .seconds(10))
        #expect(channel.texts == [["**Ada Lovelace** moved to a breakout room"]])
        #expect(channel.acked == [1])
    }

    @Test func aRouteThatSkipsMovesPostsNothingForThemAndAcksBothHalves() throws {
        var channel = Channel(rules(moves: .skip))
        try channel.receive(1, try Fixture.bytes(moveIn))
        try channel.receive(2, try Fixture.bytes(moveOut), at: .milliseconds(200))
        try channel.receive(3, ZoomBodies.left("Ada", at: zoomTime(second: 2), reason: "left the meeting to join breakout room"), at: .milliseconds(300))
        channel.run(until: .milliseconds(200))
        #expect(channel.acked == [1, 2], "a pair that is not posted has nothing to wait for")
        channel.run(from: .milliseconds(300), until: .seconds(10))
        #expect(channel.posts.isEmpty)
        #expect(channel.acked == [1, 2, 3])
        #expect(channel.outbox.pendingDeliveries == 0)
        #expect(channel.outbox.nextWakeUp(now: channel.start + .seconds(10)) == nil)
    }

    @Test func aDropAndARejoinUnderANewConnectionIsOneReconnect() throws {
        var channel = Channel(rules())
        try channel.receive(1, ZoomBodies.left("Ada", participantUUID: "a1", at: zoomTime(second: 10), reason: "Network connection error."))
        try channel.receive(2, ZoomBodies.joined("Ada", participantUUID: "a2", at: zoomTime(second: 14)), at: .seconds(2))
        channel.run(until: .seconds(10))
        #expect(channel.texts == [["**Ada** reconnected"]])
        #expect(channel.acked == [1, 2])
    }

    @Test func aReconnectStormIsOneLinePerMeeting() throws {
        var channel = Channel(rules())
        for (index, name) in ["Ada", "Grace", "Jill", "Tom", "Lin"].enumerated() {
            let tag = UInt64(index * 2)
            try channel.receive(tag, ZoomBodies.left(name, participantUUID: "\(name)-1", at: zoomTime(second: 10)), at: .milliseconds(100 * index))
            try channel.receive(tag + 1, ZoomBodies.joined(name, participantUUID: "\(name)-2", at: zoomTime(second: 12)), at: .milliseconds(100 * index + 600))
        }
        channel.run(until: .seconds(10))
        #expect(channel.texts == [["**5 reconnected**: Ada, Grace, Jill, Tom, Lin"]])
        #expect(channel.acked == Array(0..<10))
    }

    @Test func aNewConnectionInTheSameSecondIsAReconnectNotAMove() throws {
        var channel = Channel(rules())
        try channel.receive(1, ZoomBodies.left("Ada", participantUUID: "a1", at: zoomTime(second: 10)))
        try channel.receive(2, ZoomBodies.joined("Ada", participantUUID: "a2", at: zoomTime(second: 10)))
        channel.run(until: .seconds(10))
        #expect(channel.texts == [["**Ada** reconnected"]])
    }

    @Test func anOrdinaryLeaveIsStillALeave() throws {
        var channel = Channel(rules())
        // Ada and Grace in another occurrence of the meeting than the recorded leave's.
        try channel.receive(1, ZoomBodies.left("Ada", instance: "uuid-85012345678", at: zoomTime(second: 10)))
        // Someone else in the same second changes nothing.
        try channel.receive(2, ZoomBodies.joined("Grace", instance: "uuid-85012345678", at: zoomTime(second: 10)))
        try channel.receive(3, try Fixture.bytes("participant_left_client_close"))
        channel.run(until: .seconds(10))
        let texts = channel.texts.flatMap { $0 }.compactMap { $0 }.sorted()
        #expect(texts == ["**Ada** left", "**Grace** joined", "**李小龍** left"])
        #expect(channel.acked == [1, 2, 3])
    }

    @Test func aLeaveWhoseRejoinCameTooLateIsALeave() throws {
        var channel = Channel(rules())
        try channel.receive(1, ZoomBodies.left("Ada", participantUUID: "a1", at: zoomTime(second: 10)))
        channel.run(until: .seconds(5))
        try channel.receive(2, ZoomBodies.joined("Ada", participantUUID: "a2", at: zoomTime(second: 16)), at: .seconds(6))
        channel.run(from: .seconds(6), until: .seconds(15))
        #expect(channel.texts == [["**Ada** left"], ["**Ada** joined"]])
    }

    @Test func aLeavesOnlyRouteGetsNoFalseLeaveForAMoveAndNoJoins() throws {
        var channel = Channel(rules(kinds: [.left, .disconnected]))
        try channel.receive(1, try Fixture.bytes(moveOut))
        try channel.receive(2, try Fixture.bytes(moveIn), at: .milliseconds(500))
        try channel.receive(3, ZoomBodies.joined("Grace"), at: .seconds(1))
        try channel.receive(4, ZoomBodies.left("Ada", at: zoomTime(second: 40)), at: .seconds(1))
        channel.run(until: .seconds(10))
        #expect(channel.texts == [["**Ada** left"]])
        #expect(channel.acked == [1, 2, 3, 4])
    }

    @Test func aRouteThatDoesNotListReconnectsGetsBothHalves() throws {
        var channel = Channel(rules(kinds: [.joined, .left]))
        try channel.receive(1, ZoomBodies.left("Ada", participantUUID: "a1", at: zoomTime(second: 10)))
        try channel.receive(2, ZoomBodies.joined("Ada", participantUUID: "a2", at: zoomTime(second: 14)), at: .seconds(1))
        channel.run(until: .seconds(10))
        #expect(channel.texts.flatMap { $0 }.compactMap { $0 }.sorted() == ["**Ada** joined", "**Ada** left"])
    }

    /// The window stays open while the hook waits for a token: the join that arrives late still
    /// meets its leave.
    @Test func aPairMeetsWhileTheHookIsRateLimited() throws {
        var channel = Channel(rules(rate: 0.1, burst: 1))
        try channel.receive(1, try Fixture.bytes("meeting_started"))
        channel.run(until: .zero)
        try channel.receive(2, try Fixture.bytes(moveOut), at: .seconds(1))
        try channel.receive(3, try Fixture.bytes(moveIn), at: .seconds(6))
        channel.run(from: .seconds(1), until: .seconds(20))
        #expect(channel.texts == [["**Meeting started**"], ["**Tom & Jerry** moved between rooms"]])
        #expect(channel.acked == [1, 2, 3])
    }

    @Test func onShutdownAWaitingPairGoesBackWhole() throws {
        var channel = Channel(rules(), window: .seconds(30))
        try channel.receive(1, try Fixture.bytes(moveOut))
        try channel.receive(2, try Fixture.bytes(moveIn))
        channel.run(until: .seconds(1))
        let decisions = channel.outbox.abandon()
        #expect(decisions.count == 2)
        #expect(decisions.allSatisfy { if case .requeue = $0 { true } else { false } })
    }

    @Test func aPairThatLosesAHalfToARedeliveryKeepsTheOther() throws {
        let chat = NotifyTarget(route: "all", hook: "chat")
        var coalescer = NoticeCoalescer(window: .seconds(3))
        let start = ContinuousClock.now
        coalescer.add(try notice(try Fixture.bytes(moveOut)), delivery: DeliveryTag(connection: 1, value: 1), target: chat, now: start)
        coalescer.add(try notice(try Fixture.bytes(moveIn)), delivery: DeliveryTag(connection: 2, value: 1), target: chat, now: start)
        coalescer.remove { $0.connection < 2 }
        let groups = coalescer.takeDue(for: chat, now: start + .seconds(3), limit: 10)
        #expect(groups.map(\.notices.first?.kind) == [.joined])
        #expect(groups.first?.items.first?.deliveries == [DeliveryTag(connection: 2, value: 1)])
        #expect(coalescer.isEmpty)
    }
}
