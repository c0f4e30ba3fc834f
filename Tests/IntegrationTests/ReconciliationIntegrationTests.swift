import Broker
import Foundation
import Logging
import LookoutCore
import LookoutTestSupport
import MongoStorage
import CurlHTTP
import ProjectionWorker
import Projections
import Reconciliation
import Testing
import ZoomAPI
import ZoomModel

/// Zoom's record as reconciliation reads it, from the local Zoom contract server.
struct FakeZoomRecords: ZoomRecordSource {
    let history: MeetingHistory

    func participants(instance: String) async throws -> (records: [ZoomEvent.Participant], source: String) {
        let answer = try await history.participantRecords(meetingUUID: instance)
        return (answer.participants, answer.source.rawValue)
    }
}

/// Webhooks partly lost (a join, a leave, a network drop never delivered), then reconciliation
/// against Zoom's record: the projections become those of a complete delivery, once.
@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct ReconciliationIntegrationTests {
    /// The three demo days; of the first two, three facts Zoom never delivered.
    static func lost(_ body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self)
        return (text.contains(#""participant_uuid":"u-alan""#) && text.contains(#""join_time":"2026-11-22T08:01:31Z""#))
            || (text.contains(#""participant_uuid":"u-grace""#) && text.contains(#""leave_time":"2026-11-22T08:59:50Z""#))
            || (text.contains(#""participant_uuid":"u-kath""#) && text.contains(#""leave_time":"2026-11-23T08:20:20Z""#))
    }

    func projected(_ pipeline: Pipeline, events: Int) async throws -> ProjectionSnapshot {
        let store = MongoProjectionStore(database: pipeline.database)
        try await eventually("\(events) events stored and projected", timeout: .seconds(90)) {
            let stored = try await pipeline.storedCount(Pipeline.meetingEvents)
            let snapshot = try await store.snapshot()
            let backlog = try pipeline.queueDepth(pipeline.topology.layout.projectQueue)
            return stored == events && backlog == 0
                && snapshot.meetings.filter { $0.endedAt != nil && $0.peakParticipants != nil }.count == 3
        }
        return try await store.snapshot()
    }

    @Test func reconciliationFillsExactlyWhatWasLostAndASecondRunAddsNothing() async throws {
        let webhooks = try DemoHistory.webhooks()
        let delivered = webhooks.filter { !Self.lost($0) }
        #expect(webhooks.count - delivered.count == 3)

        let complete = try await Pipeline()
        complete.startStoreWorker()
        complete.startProjectWorker()
        try await complete.publish(webhooks)
        var truth = canonical(try await projected(complete, events: webhooks.count))
        let completeStore = MongoProjectionStore(database: complete.database)
        // Settled: two reads a second apart agree (the last batch may still have been in hand).
        try await eventually("the complete delivery is projected", timeout: .seconds(60)) {
            try await Task.sleep(for: .seconds(1))
            let again = canonical(try await completeStore.snapshot())
            defer { truth = again }
            return again.presence == truth.presence && again.incidents == truth.incidents
        }
        await complete.shutdown()

        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        pipeline.startProjectWorker()
        try await pipeline.publish(delivered)
        let before = canonical(try await projected(pipeline, events: delivered.count))
        #expect(before.presence != truth.presence)

        let zoom = try DemoHistory.zoom()
        try await zoom.start()
        defer { zoom.stop() }
        var logger = Logger(label: "reconcile-test")
        logger.logLevel = .error
        let client = ZoomAPIClient(credentials: zoom.credentials, transport: CurlTransport(), logger: logger)
        let publisher = ConfirmedPublisher(url: pipeline.brokerURL, topology: pipeline.topology, logger: logger)
        let publishing = Task { await publisher.run() }
        defer { publishing.cancel() }
        try await eventually("the publisher connects") { publisher.isConnected }
        let store = MongoReconcileStore(database: pipeline.database)
        try await store.prepare()
        let reconciler = Reconciler(records: FakeZoomRecords(history: MeetingHistory(client: client)), store: store,
                                    publisher: publisher, accountID: FakeZoomAPI.accountID, logger: logger)
        let due = try await store.due(endedBefore: BSONDate(Date()), silentBefore: BSONDate(milliseconds: 0), limit: 10)
        #expect(due.count == 3)
        var filled: [String: Int] = [:]
        for meeting in due { filled[meeting.instance] = try await reconciler.reconcile(meeting).factsFilled }
        #expect(filled == [DemoHistory.uuids[0]: 2, DemoHistory.uuids[1]: 1, DemoHistory.uuids[2]: 0])

        // The last batch may still be in the worker's hands when the queue shows nothing ready.
        let projections = MongoProjectionStore(database: pipeline.database)
        try await eventually("the filled-in facts are projected", timeout: .seconds(60)) {
            canonical(try await projections.snapshot()).presence == truth.presence
        }
        let after = canonical(try await projected(pipeline, events: webhooks.count))
        #expect(after.presence == truth.presence)
        #expect(after.disconnections == truth.disconnections)
        #expect(after.incidents == truth.incidents)
        #expect(DashboardCSV.render(after.presence, timeZone: .gmt, privacy: .everyone)
                == DashboardCSV.render(truth.presence, timeZone: .gmt, privacy: .everyone))
        let quality = try #require(after.meetings.first { $0.id == DemoHistory.uuids[0] }?.quality)
        #expect(quality.sessionsFilled == 2 && quality.factsFilled == 2 && quality.conflicts == 0 && quality.source == "dashboard")
        #expect(try await store.due(endedBefore: BSONDate(Date()), silentBefore: BSONDate(milliseconds: 0), limit: 10).isEmpty)

        // By hand, again: nothing more.
        for meeting in due { #expect(try await reconciler.reconcile(meeting).factsFilled == 0) }
        #expect(try await pipeline.storedCount(["source": "reconcile", "event": Pipeline.meetingEventNames]) == 3)
        // One "filled in" summary per repaired instance, for the notifier.
        try await eventually("the repair summaries are stored") {
            try await pipeline.storedCount(["event": "lookout.reconcile.repaired"]) == 2
        }
        #expect(try await pipeline.storedCount(Pipeline.meetingEvents) == webhooks.count)
        await pipeline.shutdown()
    }
}
