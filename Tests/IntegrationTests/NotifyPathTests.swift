import Broker
import Foundation
import LookoutCore
import LookoutTestSupport
import Notifier
import Testing
import ZoomWebhooks

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct NotifyPathTests {
    @Test func aStormOf300JoinsInOneMeetingBecomesAHandfulOfPostsWithinTheRateLimit() async throws {
        // Windows of 200 ms alone would make about fifteen posts; the hook allows one a second.
        var settings = NotifyPipeline.Settings()
        settings.window = .milliseconds(200)
        let pipeline = try await NotifyPipeline(hooks: ["chat": (rate: 1, burst: 1)], settings: settings)
        pipeline.startWorker()
        // A class starting: 300 joins over about three seconds (longer on a loaded machine: the
        // storm's own length is measured, since the hook's one post a second is what bounds the count).
        let stormStart = ContinuousClock.now
        for wave in 0..<10 {
            try await pipeline.publishAll((0..<30).map { joinedEvent("Student\(wave * 30 + $0)") })
            try await Task.sleep(for: .milliseconds(300))
        }
        let storm = ContinuousClock.now - stormStart
        try await eventually("all 300 joins are posted") { joinedCount(pipeline.mattermost.delivered()) >= 300 }
        try await eventually("the notify queues are drained") { try pipeline.drained() }

        let posts = pipeline.mattermost.delivered()
        #expect(joinedCount(posts) == 300)
        // Coalesced: while joins arrive, one post a second at most (the hook's rate), then the rest;
        // never one per 200 ms window, let alone one per join.
        #expect(posts.count >= 2 && posts.count <= Int(storm.seconds.rounded(.up)) + 2 && posts.count <= 10,
                "\(posts.count) posts for a storm of \(storm)")
        // A grouped notice names ten and counts the rest. (Not every post is grouped: after a stall
        // of a loaded machine a token can be free when only part of a wave has been consumed.)
        for post in posts where joinedCount([post]) > 10 {
            #expect(post.text.contains("and \(joinedCount([post]) - 10) more"), "\(post.text)")
        }
        #expect(posts.filter { joinedCount([$0]) > 10 }.map { joinedCount([$0]) }.reduce(0, +) >= 270,
                "most joins arrive in grouped posts: \(posts.map { joinedCount([$0]) })")
        #expect(pipeline.mattermost.violations.isEmpty, "\(pipeline.mattermost.violations)")
        // One a second with a burst of 1: at most 1 + t posts leave in any t seconds (slack for the
        // time between taking the token and noting the departure: up to 0.24 s on a fresh-clone CI
        // run with every suite in parallel on 2 cores; a burst of 2 would be a whole second off).
        let times = pipeline.departures.times
        #expect(times.count == posts.count)
        for (i, first) in times.enumerated() {
            for (j, last) in times.enumerated() where j > i {
                #expect(Double(j - i + 1) <= 1 + (last - first).seconds + 0.35)
            }
        }
        await pipeline.shutdown()
    }

    @Test func aBurstOf429sDelaysButLosesNothing() async throws {
        var settings = NotifyPipeline.Settings()
        settings.window = .milliseconds(300)
        settings.maxNames = 100
        let pipeline = try await NotifyPipeline(hooks: ["chat": (rate: 20, burst: 20)], settings: settings)
        pipeline.mattermost.script("chat", Array(repeating: .tooManyRequests(retryAfter: 1), count: 3))
        pipeline.startWorker()
        let names = (0..<30).map { "Rate\($0)" }
        for (index, name) in names.enumerated() {
            try await pipeline.publish(joinedEvent(name))
            if index % 10 == 9 { try await Task.sleep(for: .milliseconds(400)) }
        }
        try await eventually("every join is posted", timeout: .seconds(60)) { Set(joinedNames(pipeline.mattermost.delivered())) == Set(names) }
        try await eventually("the notify queues are drained") { try pipeline.drained() }

        let captured = pipeline.mattermost.captured()
        #expect(captured.filter { $0.status == 429 }.count == 3)
        #expect(joinedNames(pipeline.mattermost.delivered()).count == names.count, "no notice twice")
        // After a 429 with Retry-After: 1, the hook stays quiet for a second.
        for (index, request) in captured.enumerated() where request.status == 429 && index + 1 < captured.count {
            #expect(captured[index + 1].receivedAt - request.answeredAt >= .milliseconds(950))
        }
        #expect(try pipeline.depth(pipeline.parkingQueue) == 0)
        #expect(pipeline.mattermost.violations.isEmpty, "\(pipeline.mattermost.violations)")
        await pipeline.shutdown()
    }

    @Test func aMissingChannelParksTheNoticesWithMattermostsErrorID() async throws {
        var settings = NotifyPipeline.Settings()
        settings.window = .milliseconds(200)
        let pipeline = try await NotifyPipeline(hooks: ["gone": (rate: 10, burst: 10)], settings: settings)
        pipeline.mattermost.script("gone", Array(repeating: .notFound, count: 100))
        pipeline.startWorker()
        let bodies = ["111111111", "222222222", "333333333"].map { joinedEvent("Lost", meeting: $0) }
        for body in bodies { try await pipeline.publish(body) }
        try await eventually("the three notices are parked") { try pipeline.depth(pipeline.parkingQueue) == 3 }
        try await eventually("the notify queues are otherwise drained") {
            try pipeline.topology.depths(url: pipeline.brokerURL).filter { $0.queue.hasPrefix(pipeline.queue.name) && $0.queue != pipeline.parkingQueue }
                .allSatisfy { $0.messages == 0 }
        }
        let parked = try await pipeline.parked(count: 3)
        #expect(Set(parked.map(\.body)) == Set(bodies.map { Array($0.utf8) }), "parked byte for byte")
        for delivery in parked {
            #expect(delivery.headers[NotifyHeader.mattermostErrorID] == .string("web.incoming_webhook.channel.app_error"))
            #expect(delivery.headers[NotifyHeader.targets] == .string("all/gone"))
            #expect(delivery.headers[MessageHeader.error]?.string?.hasPrefix("HTTP 404") == true)
            #expect(delivery.routingKey == "meeting.participant_joined")
            #expect(delivery.messageID == IdempotencyKey.of(delivery.body))
        }
        #expect(pipeline.mattermost.delivered().isEmpty)
        await pipeline.shutdown()
    }

    @Test func aParkedNoticeReplayedWithTheDLQToolGoesOnlyWhereItFailed() async throws {
        var settings = NotifyPipeline.Settings()
        settings.window = .milliseconds(100)
        let pipeline = try await NotifyPipeline(hooks: ["chat": (rate: 10, burst: 10), "gone": (rate: 10, burst: 10)], settings: settings)
        pipeline.mattermost.script("gone", [.notFound])
        pipeline.startWorker()
        try await pipeline.publish(joinedEvent("Replayed"))
        try await eventually("the notice is parked for the missing channel") { try pipeline.depth(pipeline.parkingQueue) == 1 }
        #expect(pipeline.mattermost.delivered(hook: "chat").count == 1)

        let lot = ParkingLot(url: pipeline.brokerURL, topology: pipeline.topology)
        let parked = try await lot.peek(queue: pipeline.queue.name, limit: 10)
        #expect(parked.map(\.error) == ["HTTP 404: Couldn't find the channel."])
        #expect(parked.map(\.routingKey) == ["meeting.participant_joined"])
        #expect(try await lot.replay(queue: pipeline.queue.name) == 1)
        try await eventually("the replayed notice reaches the channel") { pipeline.mattermost.delivered(hook: "gone").count == 1 }
        try await eventually("the notify queues are drained") { try pipeline.drained() }
        #expect(pipeline.mattermost.delivered(hook: "chat").count == 1, "not posted twice where it had arrived")
        #expect(joinedNames(pipeline.mattermost.delivered(hook: "gone")) == ["Replayed"])
        await pipeline.shutdown()
    }

    @Test func serverErrorsAreRetriedThroughDelayQueuesWithGrowingGaps() async throws {
        var settings = NotifyPipeline.Settings()
        settings.window = .milliseconds(100)
        let pipeline = try await NotifyPipeline(hooks: ["chat": (rate: 10, burst: 10)], settings: settings)
        pipeline.mattermost.script("chat", [.serverError, .serverError])
        pipeline.startWorker()
        try await pipeline.publish(joinedEvent("Patient"))
        try await eventually("the notice is posted") { pipeline.mattermost.delivered().count == 1 }
        try await eventually("the notify queues are drained") { try pipeline.drained() }
        let captured = pipeline.mattermost.captured()
        #expect(captured.map(\.status) == [500, 500, 200])
        // Backoff 300 ms doubling, jittered into [ceiling/2, ceiling]: at least 150 ms, then 300 ms.
        #expect(captured[1].receivedAt - captured[0].answeredAt >= .milliseconds(150))
        #expect(captured[2].receivedAt - captured[1].answeredAt >= .milliseconds(300))
        #expect(joinedNames(captured.filter { $0.status == 200 }) == ["Patient"])
        await pipeline.shutdown()
    }

    @Test func aMeetingReadsRightInTheChannel() async throws {
        var settings = NotifyPipeline.Settings()
        settings.window = .milliseconds(500)
        let pipeline = try await NotifyPipeline(hooks: ["chat": (rate: 10, burst: 10)], settings: settings)
        pipeline.startWorker()
        let meeting = #""id":"85012345678","uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"z8yCxj","topic":"Biology 101","start_time":"2026-11-22T08:00:00Z","duration":60,"join_url":"https://zoom.us/j/85012345678""#
        try await pipeline.publish(#"{"event":"meeting.started","event_ts":1795334400000,"payload":{"object":{\#(meeting)}}}"#, routingKey: "meeting.started")
        try await eventually("the start is posted") { pipeline.mattermost.delivered().count == 1 }
        for name in ["Ada Lovelace", "Grace Hopper", "@channel **Bold** <b> [link](http://x)"] {
            try await pipeline.publish(joinedEvent(name))
        }
        try await eventually("the joins are posted") { pipeline.mattermost.delivered().count == 2 }
        try await pipeline.publish(#"{"event":"meeting.participant_left","event_ts":1795337060000,"payload":{"object":{\#(meeting),"participant":{"user_id":"16778240","user_name":"Ada Lovelace","participant_uuid":"Ada Lovelace-uuid","leave_time":"2026-11-22T08:44:20Z","leave_reason":"Ada Lovelace left the meeting. Reason : Network connection error.","email":""}}}}"#,
                                   routingKey: "meeting.participant_left")
        try await eventually("the leave is posted") { pipeline.mattermost.delivered().count == 3 }
        try await pipeline.publish(#"{"event":"meeting.ended","event_ts":1795338000000,"payload":{"object":{\#(meeting),"end_time":"2026-11-22T09:00:00Z"}}}"#, routingKey: "meeting.ended")
        try await eventually("the end is posted") { pipeline.mattermost.delivered().count == 4 }

        let posts = pipeline.mattermost.delivered()
        #expect(pipeline.mattermost.violations.isEmpty, "\(pipeline.mattermost.violations)")
        #expect(posts.map { $0.attachmentTexts } == [
            ["**Meeting started**"],
            ["**3 joined**: Ada Lovelace, Grace Hopper, @\u{200B}channel \\*\\*Bold\\*\\* <\u{200B}b\\> \\[link\\]\\(http:\u{200B}//x\\)"],
            ["**Ada Lovelace** got disconnected"],
            ["**Meeting ended**"],
        ])
        let leave = try #require(try JSONSerialization.jsonObject(with: Data(posts[2].body)) as? [String: Any])
        let attachment = try #require((leave["attachments"] as? [[String: Any]])?.first)
        #expect(leave["channel"] as? String == "zoom-watch")
        #expect(attachment["title_link"] as? String == "https://zoom.us/j/85012345678")
        #expect(attachment["color"] as? String == NoticeKind.disconnected.color)
        let fields = (attachment["fields"] as? [[String: Any]] ?? []).compactMap { field in (field["title"] as? String).map { ($0, field["value"] as? String ?? "") } }
        #expect(fields.map(\.0) == ["Meeting ID", "Disconnected at", "Time in room", "Leave reason"])
        #expect(fields.first { $0.0 == "Disconnected at" }?.1 == "2026-11-22 09:44:20 GMT+1")
        #expect(fields.first { $0.0 == "Time in room" }?.1 == "43 min 18 s")
        // LOOKOUT_TEST_CAPTURE=path keeps the captured posts (docs/mattermost.md shows one).
        if let path = TestEnvironment.variables["LOOKOUT_TEST_CAPTURE"] {
            try posts.map(\.text).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        await pipeline.shutdown()
    }

    @Test func narrowingTheEventsUnbindsTheOthersAndDeclaringTwiceIsHarmless() async throws {
        let brokerURL = try AMQPURL(TestEnvironment.amqpURL!)
        let layout = QueueLayout(namespace: "it-\(UUID().uuidString.prefix(8).lowercased())")
        let wide = WorkQueue(name: layout.notifyQueue, bindings: ["meeting.started", "meeting.ended"],
                             retryDelays: [.seconds(1)], singleActiveConsumer: true)
        try Topology(layout: layout).owning(wide).declare(url: brokerURL)
        var narrow = wide
        narrow.bindings = ["meeting.ended"]
        narrow.retiredBindings = ["meeting.started", "meeting.ended", "meeting.never_bound"]
        let topology = Topology(layout: layout).owning(narrow)
        try topology.declare(url: brokerURL)
        try topology.declare(url: brokerURL)
        let publisher = ConfirmedPublisher(url: brokerURL, topology: topology, logger: .init(label: "it"))
        let run = Task { await publisher.run() }
        try await eventually("the publisher connects") { publisher.isConnected }
        for event in ["meeting.started", "meeting.ended"] {
            let body = Array(#"{"event":"\#(event)"}"#.utf8)
            try await publisher.publish(.test(body, source: .replay))
        }
        try await eventually("only the ended event reaches the notify queue") {
            try topology.depths(url: brokerURL).first { $0.queue == layout.notifyQueue }?.messages == 1
        }
        #expect(try topology.depths(url: brokerURL).first { $0.queue == layout.storeQueue }?.messages == 2)
        run.cancel()
        await run.value
    }

    /// A slow hook and a small prefetch keep the worker mid-storm for seconds.
    func stormPipeline() async throws -> NotifyPipeline {
        var settings = NotifyPipeline.Settings()
        settings.window = .milliseconds(200)
        settings.prefetch = 20
        settings.maxNames = 100
        return try await NotifyPipeline(hooks: ["chat": (rate: 5, burst: 1)], settings: settings)
    }

    @Test func aWorkerStoppedGracefullyMidStormLosesNothingAndPostsNothingTwice() async throws {
        let pipeline = try await stormPipeline()
        let names = (0..<300).map { "Calm\($0)" }
        try await pipeline.publishAll(names.map { joinedEvent($0) })
        let first = pipeline.startWorker()
        try await eventually("the first worker has posted some") { pipeline.mattermost.delivered().count >= 3 }
        await pipeline.stopGracefully(first)
        let byFirst = joinedNames(pipeline.mattermost.delivered())
        #expect(byFirst.count < names.count, "stopped mid-storm")
        pipeline.startWorker()
        try await eventually("every join is posted", timeout: .seconds(60)) { Set(joinedNames(pipeline.mattermost.delivered())) == Set(names) }
        try await eventually("the notify queues are drained") { try pipeline.drained() }
        #expect(joinedNames(pipeline.mattermost.delivered()).count == names.count, "nothing posted twice")
        #expect(pipeline.mattermost.violations.isEmpty)
        await pipeline.shutdown()
    }

    /// After the first worker was killed: a second one posts every remaining join, and only what
    /// the first had posted but not yet acked comes again — its last post (one in flight per hook),
    /// or the one before if its ack had not reached the broker. Returns the second worker's posts.
    func finishWithASecondWorker(_ pipeline: NotifyPipeline, names: [String]) async throws -> [MattermostContractServer.Captured] {
        let postsByFirst = pipeline.mattermost.delivered()
        pipeline.startWorker()
        try await eventually("every join is posted", timeout: .seconds(60)) { Set(joinedNames(pipeline.mattermost.delivered())) == Set(names) }
        try await eventually("the notify queues are drained") { try pipeline.drained() }

        let postsBySecond = Array(pipeline.mattermost.delivered().dropFirst(postsByFirst.count))
        let again = Set(joinedNames(postsByFirst)).intersection(joinedNames(postsBySecond))
        let repeatedPosts = postsByFirst.enumerated().filter { !Set(joinedNames([$0.element])).isDisjoint(with: again) }.map(\.offset)
        #expect(repeatedPosts.count <= 2, "\(repeatedPosts) of \(postsByFirst.count)")
        #expect(repeatedPosts.allSatisfy { $0 >= postsByFirst.count - 2 })
        return postsBySecond
    }

    @Test func aWorkerKilledMidStormLosesNothingAndDuplicatesAtMostThePostsInFlight() async throws {
        let pipeline = try await stormPipeline()
        let names = (0..<300).map { "Crash\($0)" }
        try await pipeline.publishAll(names.map { joinedEvent($0) })
        let first = pipeline.startWorker()
        try await eventually("the first worker has posted some") { pipeline.mattermost.delivered().count >= 4 }
        await pipeline.kill(first)
        let postsBySecond = try await finishWithASecondWorker(pipeline, names: names)
        #expect(joinedNames(postsBySecond).count == Set(joinedNames(postsBySecond)).count, "the second worker posts each once")
        await pipeline.shutdown()
    }

    @Test func aNotifierProcessKilledWithSIGKILLMidStormLosesNothing() async throws {
        let pipeline = try await stormPipeline()
        let names = (0..<300).map { "Killed\($0)" }
        try await pipeline.publishAll(names.map { joinedEvent($0) })
        let process = try pipeline.startWorkerProcess()
        try await eventually("the notifier process has posted some") { pipeline.mattermost.delivered().count >= 4 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        _ = try await finishWithASecondWorker(pipeline, names: names)
        #expect(pipeline.mattermost.violations.isEmpty)
        await pipeline.shutdown()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
