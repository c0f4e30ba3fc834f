import Foundation
import Logging
import LookoutCore
import LookoutTestSupport
import Notifier
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
@testable import NotifyWorker

@Suite struct NotifyWorkerTests {
    let rules = NotifyRules(hooks: ["chat": Hook(name: "chat", url: WebhookURL("https://chat.example.edu/hooks/secret"), ratePerSecond: 50, burst: 50)],
                            routes: [Route(name: "all", hooks: ["chat"], style: NoticeStyle(localTime: LocalTime(timeZone: .gmt)))],
                            unmatched: nil)

    func worker(_ source: ScriptedSource, _ mattermost: FakeMattermost, _ retries: RecordingRetries = RecordingRetries(),
                window: Duration = .milliseconds(50), rules: NotifyRules? = nil) -> NotifyWorker {
        var options = NotifyWorker.Options()
        options.outbox.window = window
        return NotifyWorker(source: source, retries: retries, mattermost: mattermost,
                            planner: NoticePlanner(rules: rules ?? self.rules, events: ["meeting.#"], pseudonyms: nil),
                            options: options, logger: Logger(label: "test"))
    }

    @Test func joinsInOneWindowGoOutAsOnePostAndAreAckedOnlyAfterIts200() async throws {
        let source = ScriptedSource(), mattermost = FakeMattermost(held: true)
        // Two batches, both well within the window even on a machine running every suite at once
        // (a one-second window was once closed between them in CI-like load).
        source.push([joinDelivery(1, "Ada"), joinDelivery(2, "Grace")])
        source.push([joinDelivery(3, "Jill")])
        let run = Task { await worker(source, mattermost, window: .seconds(5)).run() }
        try await eventually("the post is sent") { mattermost.count == 1 }
        // Deliberate: time passes with the post unanswered, and nothing may be acked in it.
        try await Task.sleep(for: .milliseconds(100))
        #expect(source.settlements.isEmpty)
        mattermost.release()
        try await eventually("all three are acked") { source.settlements.count == 3 }
        #expect(source.byTag == [1: .ack, 2: .ack, 3: .ack])
        #expect(mattermost.posts.withLock { $0.first?.post.attachments.first?.text } == "**3 joined**: Ada, Grace, Jill")
        run.cancel()
        await run.value
    }

    @Test func aRoomMoveIsOnePostAndBothHalvesAreAckedAfterIt() async throws {
        let source = ScriptedSource(), mattermost = FakeMattermost(held: true)
        source.push([moveDelivery(1, leave: false), moveDelivery(2, leave: true)])
        let run = Task { await worker(source, mattermost, window: .seconds(1)).run() }
        try await eventually("the move is being posted") { mattermost.count == 1 }
        #expect(source.settlements.isEmpty)
        mattermost.release()
        try await eventually("both are acked") { source.settlements.count == 2 }
        #expect(source.byTag == [1: .ack, 2: .ack])
        #expect(mattermost.posts.withLock { $0.first?.post.attachments.map(\.text) } == ["**Ada** moved to a breakout room"])
        run.cancel()
        await run.value
    }

    @Test func aRouteThatSkipsMovesAcksThePairWithoutAPost() async throws {
        let skipping = NotifyRules(hooks: rules.hooks, routes: [Route(name: "all", hooks: ["chat"], moves: .skip, style: NoticeStyle(localTime: LocalTime(timeZone: .gmt)))],
                                   unmatched: nil)
        let source = ScriptedSource(), mattermost = FakeMattermost()
        let run = Task { await worker(source, mattermost, window: .seconds(30), rules: skipping).run() }
        source.push([moveDelivery(1, leave: true), moveDelivery(2, leave: false)])
        try await eventually("both are acked") { source.settlements.count == 2 }
        #expect(source.byTag == [1: .ack, 2: .ack])
        #expect(mattermost.count == 0)
        run.cancel()
        await run.value
    }

    @Test func aMessageDeliveredAgainAfterItWasPostedIsAckedWithoutASecondPost() async throws {
        let source = ScriptedSource(), mattermost = FakeMattermost()
        let run = Task { await worker(source, mattermost).run() }
        let first = joinDelivery(1, "Ada")
        source.push([first])
        try await eventually("it is posted and acked") { source.byTag[1] == .ack }
        // The broker redelivers it (its ack was lost with the connection), or the receiver published it twice.
        let again = Delivery.test(7, body: first.body, connection: 2, messageID: first.messageID, redelivered: true)
        source.push([again, joinDelivery(8, "Grace")])
        try await eventually("both are settled") { source.byTag[7] != nil && source.byTag[8] != nil }
        #expect(source.byTag[7] == .ack)
        #expect(mattermost.count == 2, "Ada once, Grace once")
        #expect(mattermost.posts.withLock { $0.last?.post.attachments.first?.text }?.contains("Ada") == false)
        run.cancel()
        await run.value
    }

    @Test func aFailedPostIsRetriedThroughTheDelayQueueThenAcked() async throws {
        let source = ScriptedSource(), retries = RecordingRetries()
        let mattermost = FakeMattermost { _ in .failed("HTTP 502") }
        let run = Task { await worker(source, mattermost, retries).run() }
        source.push([joinDelivery(1, "Ada")])
        try await eventually("it is settled") { !source.settlements.isEmpty }
        #expect(source.byTag == [1: .ack])
        let retry = try #require(retries.retried.withLock { $0.first })
        #expect(retry.0 == 1)
        #expect(retry.2 == [NotifyHeader.targets: .string("all/chat"), MessageHeader.attempt: .integer(1)])
        run.cancel()
        await run.value
    }

    @Test func aRefusedPostIsParkedWithMattermostsErrorID() async throws {
        let source = ScriptedSource(), retries = RecordingRetries()
        let mattermost = FakeMattermost { _ in .rejected(status: 404, errorID: "web.incoming_webhook.invalid.app_error", message: "Invalid webhook.") }
        let run = Task { await worker(source, mattermost, retries).run() }
        source.push([joinDelivery(1, "Ada")])
        try await eventually("it is settled") { !source.settlements.isEmpty }
        #expect(source.byTag == [1: .ack])
        let parked = try #require(retries.parked.withLock { $0.first })
        #expect(parked.1[NotifyHeader.mattermostErrorID] == .string("web.incoming_webhook.invalid.app_error"))
        #expect(parked.1[MessageHeader.error] == .string("HTTP 404: Invalid webhook."))
        run.cancel()
        await run.value
    }

    @Test func whenTheBrokerRefusesTheRetryCopyTheDeliveryIsRequeued() async throws {
        let source = ScriptedSource()
        let run = Task { await worker(source, FakeMattermost { _ in .failed("timeout") }, RecordingRetries(failing: true)).run() }
        source.push([joinDelivery(1, "Ada")])
        try await eventually("it is settled") { !source.settlements.isEmpty }
        #expect(source.byTag == [1: .requeue])
        run.cancel()
        await run.value
    }

    @Test func nonEventsAreDeadLetteredAndUnroutedOnesAcked() async throws {
        let source = ScriptedSource(), mattermost = FakeMattermost()
        let run = Task { await worker(source, mattermost).run() }
        source.push([Delivery.test(1, body: Array("garbage".utf8), routingKey: "meeting.started", source: nil),
                     Delivery.test(2, body: Array(#"{"event":"recording.completed"}"#.utf8), source: nil)])
        try await eventually("both are settled") { source.settlements.count == 2 }
        #expect(source.byTag[2] == .ack)
        if case .deadLetter = source.byTag[1] {} else { Issue.record("garbage is dead-lettered") }
        #expect(mattermost.count == 0)
        run.cancel()
        await run.value
    }

    @Test func gracefulShutdownHandsBackWhatWasNotPostedAndFinishesThePostInFlight() async throws {
        let source = ScriptedSource(), mattermost = FakeMattermost(held: true)
        try await testGracefulShutdown { trigger in
            let run = Task { await worker(source, mattermost, window: .seconds(30)).run() }
            // A meeting start is due at once; the joins wait for their 30 s window.
            source.push([Delivery.test(9, body: ZoomBodies.started(meeting: "1", topic: "Biology 101"), messageID: "m9")])
            try await eventually("the start is being posted") { mattermost.count == 1 }
            source.push([joinDelivery(1, "Ada"), joinDelivery(2, "Grace")])
            try await eventually("the worker took the joins") { source.pendingBatches == 0 }
            trigger.triggerGracefulShutdown()
            // Deliberate: time passes after the shutdown with the post unanswered, and nothing may be settled in it.
            try await Task.sleep(for: .milliseconds(50))
            #expect(source.settlements.isEmpty, "nothing is settled while the post is in flight")
            mattermost.release()
            await run.value
        }
        #expect(source.byTag == [9: .ack, 1: .requeue, 2: .requeue])
        #expect(mattermost.count == 1)
    }

    @Test func cancellationSettlesNothing() async throws {
        let source = ScriptedSource(), mattermost = FakeMattermost(held: true)
        let run = Task { await worker(source, mattermost, window: .zero).run() }
        source.push([joinDelivery(1, "Ada"), joinDelivery(2, "Grace", meeting: "2")])
        try await eventually("a post is in flight") { mattermost.count == 1 }
        run.cancel()
        mattermost.release()
        await run.value
        #expect(source.settlements.isEmpty)
    }
}

/// Ada, Grace...'s join to the recorded meeting (LookoutTestSupport's bodies), message id "m<tag>".
func joinDelivery(_ tag: UInt64, _ name: String, meeting: String = ZoomBodies.recordedMeeting) -> Delivery {
    .test(tag, body: ZoomBodies.joined(name, meeting: meeting, topic: "Biology 101"), messageID: "m\(tag)")
}

/// One half of Ada's move into a breakout room: the same participant_uuid and the same second
/// (Zoom gives the room's connection a new user_id).
func moveDelivery(_ tag: UInt64, leave: Bool) -> Delivery {
    let body = leave
        ? ZoomBodies.left("Ada", topic: "Biology 101", participantUUID: "ada-1", userID: "16778241", at: "2026-11-22T08:10:00Z",
                          reason: "left the meeting to join breakout room")
        : ZoomBodies.joined("Ada", topic: "Biology 101", participantUUID: "ada-1", userID: "16779265", at: "2026-11-22T08:10:00Z")
    return .test(tag, body: body, messageID: "m\(tag)")
}
