import LookoutCore
import LookoutTestSupport
import Testing
@testable import Notifier

@Suite struct NoticeOutboxTests {
    let start = ContinuousClock.now
    let chat = NotifyTarget(route: "all", hook: "chat")

    func outbox(_ rules: NotifyRules = rules(), window: Duration = .seconds(3), maxAttempts: Int = 5) -> NoticeOutbox {
        var settings = NoticeOutbox.Settings()
        settings.window = window
        settings.retry = RetryPolicy(initial: .seconds(2), maximum: .seconds(60), attempts: maxAttempts)
        return NoticeOutbox(rules: rules, settings: settings)
    }

    func add(_ outbox: inout NoticeOutbox, _ tag: UInt64, _ name: String, targets: [NotifyTarget]? = nil, at offset: Duration = .zero,
             meeting: String = "85012345678", headers: [String: HeaderValue] = [:]) throws {
        let notice = try joinedNotice(name, meeting: meeting)
        outbox.add(Delivery.test(tag, body: ZoomBodies.joined(name, meeting: meeting), headers: headers),
                   notices: (targets ?? [chat]).map { ($0, notice) }, now: start + offset)
    }

    func acked(_ decisions: [DeliveryDecision]) -> [UInt64] {
        decisions.compactMap { if case .ack(let delivery) = $0 { delivery.tag.value } else { nil } }
    }

    @Test func aStormOfJoinsBecomesAHandfulOfPostsAndEveryDeliveryWaitsForIts200() throws {
        var outbox = outbox(rules(rate: 1, burst: 1), window: .seconds(2))
        var posts: [NoticeOutbox.OutgoingPost] = []
        var decided: [DeliveryDecision] = []
        // 300 joins over 30 seconds; posts answer 200 after 100 ms.
        for step in 0..<3000 {
            let now = start + .milliseconds(10 * step)
            if step % 10 == 0 { try add(&outbox, UInt64(step / 10), "P\(step / 10)", at: .milliseconds(10 * step)) }
            let ready = outbox.takeReady(now: now)
            for post in ready {
                #expect(outbox.pendingDeliveries > 0)
                decided += outbox.record(.delivered, forPost: post.id, now: now + .milliseconds(100))
            }
            posts += ready
        }
        let (tail, tailDecisions) = drain(&outbox, from: start + .seconds(30))
        posts += tail
        decided += tailDecisions
        // A post about every window (2 s) instead of 300.
        #expect((14...16).contains(posts.count), "\(posts.count) posts")
        #expect(posts.map(\.notices).reduce(0, +) == 300)
        #expect(Set(acked(decided)) == Set(0..<300))
        #expect(outbox.pendingDeliveries == 0)
    }

    /// Runs the outbox until empty, answering every post with 200 at once.
    func drain(_ outbox: inout NoticeOutbox, from now: ContinuousClock.Instant) -> ([NoticeOutbox.OutgoingPost], [DeliveryDecision]) {
        var now = now
        var posts: [NoticeOutbox.OutgoingPost] = []
        var decided: [DeliveryDecision] = []
        while let wake = outbox.nextWakeUp(now: now) {
            now = max(now, wake)
            for post in outbox.takeReady(now: now) {
                posts.append(post)
                decided += outbox.record(.delivered, forPost: post.id, now: now)
            }
        }
        return (posts, decided)
    }

    @Test func postsRespectTheHooksRateAndCarrySeveralMeetingsEach() throws {
        var outbox = outbox(rules(rate: 2, burst: 3), window: .zero)
        for index in 0..<50 { try add(&outbox, UInt64(index), "P", meeting: "100000\(String(format: "%03d", index))") }
        var sent: [Duration] = []
        var now = start
        while let wake = outbox.nextWakeUp(now: now) {
            now = max(now, wake)
            for post in outbox.takeReady(now: now) {
                #expect(post.post.attachments.count == 10)
                sent.append(now - start)
                _ = outbox.record(.delivered, forPost: post.id, now: now)
            }
        }
        // Fifty meetings, ten attachments a post: three in the burst, then two a second.
        #expect(sent == [.zero, .zero, .zero, .milliseconds(500), .seconds(1)])
        #expect(outbox.pendingDeliveries == 0)
    }

    @Test func oneHookHasOnePostInFlightAndNothingIsAckedBeforeTheAnswer() throws {
        var outbox = outbox(window: .zero)
        try add(&outbox, 1, "A", meeting: "111111111")
        let first = outbox.takeReady(now: start)
        try add(&outbox, 2, "B", meeting: "222222222")
        #expect(first.count == 1)
        #expect(outbox.takeReady(now: start + .seconds(5)).isEmpty)
        #expect(outbox.nextWakeUp(now: start) == nil)
        #expect(acked(outbox.record(.delivered, forPost: first[0].id, now: start + .seconds(5))) == [1])
        #expect(outbox.takeReady(now: start + .seconds(5)).count == 1)
    }

    @Test func aRateLimitPausesTheHookAndRetriesWithoutCountingAnAttempt() throws {
        var outbox = outbox(window: .zero)
        try add(&outbox, 1, "A")
        let post = try #require(outbox.takeReady(now: start).first)
        let decisions = outbox.record(.rateLimited(retryAfter: .seconds(4)), forPost: post.id, now: start)
        guard case .forward(_, let retry?, nil) = decisions.first else { Issue.record("\(decisions)"); return }
        #expect(retry == .init(targets: [chat], delay: .seconds(4), attempt: 0, reason: "rate limited"))
        try add(&outbox, 2, "B", at: .seconds(1), meeting: "222222222")
        #expect(outbox.takeReady(now: start + .milliseconds(3999)).isEmpty)
        #expect(outbox.nextWakeUp(now: start + .seconds(1)) == start + .seconds(4))
        #expect(outbox.takeReady(now: start + .seconds(4)).count == 1)
    }

    @Test func serverErrorsRetryWithGrowingDelaysThenPark() throws {
        var outbox = outbox(window: .zero, maxAttempts: 3)
        var delays: [Duration] = []
        var attempt = 0
        while true {
            try add(&outbox, UInt64(10 + attempt), "A", headers: attempt == 0 ? [:] : [MessageHeader.attempt: .integer(Int64(attempt))])
            let post = try #require(outbox.takeReady(now: start + .seconds(60 * attempt)).first)
            let decision = outbox.record(.failed("HTTP 503"), forPost: post.id, now: start + .seconds(60 * attempt)).first
            guard case .forward(_, let retry, let park) = decision else { Issue.record("not forwarded"); return }
            if let retry {
                #expect(park == nil)
                #expect(retry.attempt == attempt + 1)
                #expect(retry.reason == "HTTP 503")
                delays.append(retry.delay)
                attempt += 1
            } else {
                #expect(park == .init(targets: [chat], errorID: nil, reason: "gave up after 3 attempts: HTTP 503"))
                break
            }
        }
        #expect(delays.count == 2)
        #expect(delays[0] >= .seconds(1) && delays[0] <= .seconds(2))
        #expect(delays[1] >= .seconds(2) && delays[1] <= .seconds(4))
    }

    @Test func aRefusedPostIsParkedWithMattermostsErrorID() throws {
        var outbox = outbox(window: .zero)
        try add(&outbox, 1, "A")
        let post = try #require(outbox.takeReady(now: start).first)
        let decisions = outbox.record(.rejected(status: 404, errorID: "web.incoming_webhook.channel.app_error", message: "Couldn't find the channel"),
                                      forPost: post.id, now: start)
        guard case .forward(_, nil, let park?) = decisions.first else { Issue.record("\(decisions)"); return }
        #expect(park == .init(targets: [chat], errorID: "web.incoming_webhook.channel.app_error", reason: "HTTP 404: Couldn't find the channel"))
    }

    @Test func aDeliveryForTwoHooksIsDecidedOnlyOnceBothAnsweredAndRetriesOnlyTheFailedOne() throws {
        let two = rules(hooks: ["chat", "ops"])
        let ops = NotifyTarget(route: "all", hook: "ops")
        var outbox = outbox(two, window: .zero)
        try add(&outbox, 1, "A", targets: [chat, ops])
        let posts = outbox.takeReady(now: start)
        #expect(Set(posts.map(\.target)) == [chat, ops])
        #expect(outbox.record(.delivered, forPost: posts.first { $0.target == chat }!.id, now: start).isEmpty)
        let decisions = outbox.record(.failed("HTTP 502"), forPost: posts.first { $0.target == ops }!.id, now: start)
        guard case .forward(_, let retry?, nil) = decisions.first else { Issue.record("\(decisions)"); return }
        #expect(retry.targets == [ops])
    }

    @Test func onShutdownWhatWasNotPostedIsRequeuedAndAPartialOneRetriedForTheRest() throws {
        let two = rules(hooks: ["chat", "ops"], rate: 0.1, burst: 1)
        let ops = NotifyTarget(route: "all", hook: "ops")
        var outbox = outbox(two, window: .seconds(3))
        // A meeting start is due at once: it spends the ops hook's only token.
        outbox.add(Delivery.test(9, body: try Fixture.bytes("meeting_started")), notices: [(ops, try Fixture.notice("meeting_started"))], now: start)
        let opening = try #require(outbox.takeReady(now: start).first)
        #expect(acked(outbox.record(.delivered, forPost: opening.id, now: start)) == [9])
        try add(&outbox, 1, "A", targets: [chat, ops])
        try add(&outbox, 2, "B", targets: [chat])
        try add(&outbox, 3, "C", targets: [ops], meeting: "333333333")
        let posts = outbox.takeReady(now: start + .seconds(3))
        #expect(posts.map(\.target) == [chat])
        #expect(acked(outbox.record(.delivered, forPost: posts[0].id, now: start + .seconds(3))) == [2])

        let decisions = outbox.abandon()
        let byTag = Dictionary(uniqueKeysWithValues: decisions.map { ($0.delivery.tag.value, $0) })
        #expect(byTag.count == 2)
        guard case .forward(_, let retry?, nil) = byTag[1] else { Issue.record("A was posted to chat: retry ops only"); return }
        #expect(retry.targets == [ops])
        #expect(retry.attempt == 0)
        #expect(retry.delay == .zero)
        guard case .requeue = byTag[3] else { Issue.record("C was posted nowhere: requeue"); return }
        #expect(outbox.pendingDeliveries == 0)
    }

    @Test func afterTheConsumerReconnectedNothingOfTheOldConnectionIsPostedOrSettled() throws {
        var outbox = outbox(window: .seconds(1))
        try add(&outbox, 1, "A", meeting: "111111111")
        outbox.add(Delivery.test(2, body: ZoomBodies.joined("B", meeting: "222222222")), notices: [(chat, try joinedNotice("B", meeting: "222222222"))],
                   now: start)
        let inFlight = try #require(outbox.takeReady(now: start + .seconds(1)).first)
        #expect(inFlight.post.attachments.count == 2)
        try add(&outbox, 3, "C", at: .seconds(2), meeting: "111111111")
        // The broker redelivers 1 and 2 on connection 2, as 10 and 11.
        let redelivered = [(DeliveryTag(connection: 2, value: 10), "A", "111111111"), (DeliveryTag(connection: 2, value: 11), "B", "222222222")]
        for (tag, name, meeting) in redelivered {
            outbox.add(Delivery.test(tag.value, body: ZoomBodies.joined(name, meeting: meeting), connection: tag.connection, redelivered: true),
                       notices: [(chat, try joinedNotice(name, meeting: meeting))], now: start + .seconds(2))
        }
        #expect(outbox.record(.delivered, forPost: inFlight.id, now: start + .seconds(2)).isEmpty, "acks for a dead connection are moot")
        let next = try #require(outbox.takeReady(now: start + .seconds(3)).first)
        #expect(next.notices == 2)
        #expect(Set(acked(outbox.record(.delivered, forPost: next.id, now: start + .seconds(3)))) == [10, 11])
        #expect(outbox.pendingDeliveries == 0)
    }

    @Test func onShutdownDeliveriesInFlightWaitForTheirAnswer() throws {
        var outbox = outbox(window: .zero)
        try add(&outbox, 1, "A")
        let post = try #require(outbox.takeReady(now: start).first)
        #expect(outbox.abandon().isEmpty)
        #expect(acked(outbox.record(.delivered, forPost: post.id, now: start)) == [1])
    }
}
