import Broker
import MongoStorage
import Foundation
import LookoutCore
import LookoutTestSupport
import Spool
import Testing
import ZoomWebhooks

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct IngestPathTests {
    @Test func signedEventIsStoredExactlyOnceWithZoomsFieldsAtTheTop() async throws {
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        pipeline.startStoreWorker()
        let body = joinedEvent("Jill Chill")
        #expect(try await pipeline.post(body) == 200)
        try await eventually("the event is stored") { try await pipeline.storedCount() == 1 }

        let id = IdempotencyKey.of(Array(body.utf8))
        let documents = try await pipeline.database.findJSON(MongoEventStore.collection, filter: ["_id": .string(id)])
        let document = try #require(documents.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(document["event"] as? String == "meeting.participant_joined")
        #expect(document["event_ts"] as? Int == 1_763_798_400_123)
        #expect(document["source"] as? String == "webhook")
        #expect((document["received_at"] as? [String: Any])?["$date"] != nil)
        let participant = ((document["payload"] as? [String: Any])?["object"] as? [String: Any])?["participant"] as? [String: Any]
        #expect(participant?["user_name"] as? String == "Jill Chill")
        #expect(try await pipeline.storedCount(["payload.object.participant.user_name": "Jill Chill"]) == 1)
        await pipeline.shutdown()
    }

    @Test func theSameDeliveryTwiceGivesOneDocument() async throws {
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        pipeline.startStoreWorker()
        let body = joinedEvent("Retried Person")
        #expect(try await pipeline.post(body) == 200)
        #expect(try await pipeline.post(body) == 200)
        // One consumer settles in order: once the sentinel is stored, both copies were handled.
        #expect(try await pipeline.post(joinedEvent("Sentinel")) == 200)
        try await eventually("the sentinel is stored") {
            try await pipeline.storedCount(["payload.object.participant.user_name": "Sentinel"]) == 1
        }
        try await eventually("the store queue is drained") { try pipeline.queueDepth(pipeline.topology.layout.storeQueue) == 0 }
        #expect(try await pipeline.storedCount(["payload.object.participant.user_name": "Retried Person"]) == 1)
        #expect(try await pipeline.storedCount() == 2)
        await pipeline.shutdown()
    }

    @Test func badSignatureIsRefusedAndNothingIsPublished() async throws {
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        // No worker runs: anything published would wait in the queue.
        #expect(try await pipeline.post(joinedEvent("Mallory"), secret: "not-the-secret") == 401)
        #expect(try await pipeline.post(joinedEvent("Good")) == 200)
        #expect(try pipeline.queueDepth(pipeline.topology.layout.storeQueue) == 1)
        await pipeline.shutdown()
    }

    @Test func eventsSentWhileTheStoreIsDownAreAllStoredWhenItReturns() async throws {
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        pipeline.startStoreWorker()
        for index in 0..<20 { #expect(try await pipeline.post(joinedEvent("before-\(index)")) == 200) }
        try await eventually("the first events are stored") { try await pipeline.storedCount() == 20 }

        pipeline.mongo.kill()
        for index in 0..<60 { #expect(try await pipeline.post(joinedEvent("during-\(index)")) == 200) }
        // Deliberate: the store stays down a while, the worker retrying, before it returns.
        try await Task.sleep(for: .seconds(2))
        try await pipeline.mongo.start()

        try await eventually("every event is stored", timeout: .seconds(60)) { try await pipeline.storedCount() == 80 }
        try await eventually("the store queue is drained") { try pipeline.queueDepth(pipeline.topology.layout.storeQueue) == 0 }
        #expect(try pipeline.queueDepth(pipeline.topology.layout.parkingQueue(for: pipeline.topology.layout.storeQueue)) == 0)
        await pipeline.shutdown()
    }

    @Test func anEventThatCanNeverBeStoredIsParkedNotRetried() async throws {
        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        let publisher = ConfirmedPublisher(url: pipeline.brokerURL, topology: pipeline.topology, logger: .init(label: "it"))
        let run = Task { await publisher.run() }
        try await eventually("the publisher connects") { publisher.isConnected }
        for body in ["not json at all", #"["an","array"]"#, #"{"_id": "mine", "event": "x"}"#] {
            try await publisher.publish(.test(Array(body.utf8), routingKey: "meeting.started", source: .replay))
        }
        try await publisher.publish(.test(ZoomBodies.joined("Valid"), source: .replay))
        let parked = pipeline.topology.layout.parkingQueue(for: pipeline.topology.layout.storeQueue)
        try await eventually("the three bad events are parked") { try pipeline.queueDepth(parked) == 3 }
        try await eventually("the good one is stored") { try await pipeline.storedCount(["source": "replay"]) == 1 }
        run.cancel()
        await run.value
        await pipeline.shutdown()
    }
}

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct ConcurrencyAndShutdownTests {
    @Test func concurrentWebhooksAreAllConfirmedAndStored() async throws {
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        pipeline.startStoreWorker()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<300 { group.addTask { try await pipeline.post(joinedEvent("storm-\(index)")) } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 })
        try await eventually("all 300 are stored") { try await pipeline.storedCount() == 300 }
        await pipeline.shutdown()
    }

    @Test func aWorkerStoppedMidStreamLosesNothingAndTheNextOneFinishes() async throws {
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        for index in 0..<400 { #expect(try await pipeline.post(joinedEvent("backlog-\(index)")) == 200) }
        let worker = pipeline.startStoreWorker()
        try await eventually("the first worker has stored some") { try await pipeline.storedCount() > 0 }
        await pipeline.stop(worker)
        let storedByFirst = try await pipeline.storedCount()
        pipeline.startStoreWorker()
        try await eventually("everything is stored") { try await pipeline.storedCount() == 400 }
        try await eventually("the store queue is drained") { try pipeline.queueDepth(pipeline.topology.layout.storeQueue) == 0 }
        #expect(storedByFirst <= 400)
        await pipeline.shutdown()
    }
}

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct SpoolTests {
    @Test func eventsTakenWhileTheBrokerIsAwayAreSpooledThenDeliveredOnceItIsBack() async throws {
        let pipeline = try await Pipeline()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-it-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }

        // A receiver whose broker is unreachable: every verified event goes to the spool.
        let nowhere = try AMQPURL("amqp://guest:guest@127.0.0.1:\(freePort())/")
        let away = try await pipeline.startReceiver(spool: try EventSpool(directory: directory, maxBytes: 1 << 20), brokerURL: nowhere)
        for index in 0..<25 { #expect(try await pipeline.post(joinedEvent("spooled-\(index)")) == 200) }
        #expect(try await pipeline.post(joinedEvent("forged"), secret: "wrong") == 401)
        await pipeline.stop(away)

        // As after kill -9 and a restart with the broker back: the same spool, drained.
        let spool = try EventSpool(directory: directory, maxBytes: 1 << 20)
        #expect(spool.count == 25)
        pipeline.startStoreWorker()
        try await pipeline.startReceiver(spool: spool)
        try await eventually("all spooled events are stored") { try await pipeline.storedCount() == 25 }
        try await eventually("the spool is empty") { spool.count == 0 }
        #expect(try await pipeline.storedCount(["payload.object.participant.user_name": "forged"]) == 0)
        await pipeline.shutdown()
    }
}

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct DeadLetterToolTests {
    @Test func parkedMessagesAreListedReplayedToTheirQueueAndPurged() async throws {
        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        let bad = ["not json", #"["an","array"]"#, #"{"_id": "mine", "event": "x"}"#].map { Array($0.utf8) }
        let publisher = ConfirmedPublisher(url: pipeline.brokerURL, topology: pipeline.topology, logger: .init(label: "it"))
        let running = Task { await publisher.run() }
        try await eventually("the publisher connects") { publisher.isConnected }
        for body in bad {
            try await publisher.publish(.test(body, routingKey: "meeting.started", source: .replay))
        }
        running.cancel()
        await running.value
        let lot = ParkingLot(url: pipeline.brokerURL, topology: pipeline.topology)
        let store = pipeline.topology.layout.storeQueue
        try await eventually("the store worker parked all three") { try await lot.counts(queue: store).first?.parked == 3 }

        let parked = try await lot.peek(queue: store, limit: 10)
        #expect(parked.count == 3)
        #expect(parked.allSatisfy { $0.reason == "rejected" && $0.queue == store })
        #expect(Set(parked.compactMap(\.messageID)) == Set(bad.map(IdempotencyKey.of)))
        #expect(try await lot.counts(queue: store).first?.parked == 3, "peeking leaves them in place")

        // Replayed to the store queue only: the worker refuses it again and it is parked again.
        let target = try #require(parked.first?.messageID)
        let projectBacklog = try pipeline.queueDepth(pipeline.topology.layout.projectQueue)
        #expect(try await lot.replay(queue: store, messageID: target) == 1)
        try await eventually("the replayed message is parked again") {
            let again = try await lot.peek(queue: store, limit: 10)
            return again.count == 3 && again.contains { $0.messageID == target && $0.headers["lookout-replayed-from"] != nil }
        }
        #expect(try pipeline.queueDepth(pipeline.topology.layout.projectQueue) == projectBacklog, "other queues do not get a copy")
        #expect(try await lot.purge(queue: store).first?.purged == 3)
        #expect(try await lot.counts(queue: store).first?.parked == 0)
        await #expect(throws: BrokerError.self) { try await lot.counts(queue: "no.such.queue") }
        await pipeline.shutdown()
    }
}
