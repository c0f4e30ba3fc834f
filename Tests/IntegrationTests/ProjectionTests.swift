import MongoStorage
import Foundation
import Logging
import LookoutCore
import LookoutTestSupport
import ProjectionWorker
import Exports
import Projections
import Testing
import ZoomWebhooks

/// The recorded class in ops/demo/events.jsonl, in arrival order.
enum DemoClass {
    static func bodies() throws -> [[UInt8]] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ops/demo/events.jsonl")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map { Array($0.utf8) }
    }
}

/// Snapshot rows in a canonical order, so two stores can be compared.
func canonical(_ snapshot: ProjectionSnapshot) -> ProjectionSnapshot {
    ProjectionSnapshot(presence: snapshot.presence.sorted { $0.id < $1.id },
                       disconnections: snapshot.disconnections.sorted { $0.id < $1.id },
                       incidents: snapshot.incidents.sorted { $0.id < $1.id },
                       meetings: snapshot.meetings.sorted { $0.id < $1.id },
                       alerts: snapshot.alerts.sorted { $0.id < $1.id })
}

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct ProjectionPipelineTests {
    @Test func aRecordedClassThroughTheReceiverGivesTheRightProjectionsAndExports() async throws {
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        pipeline.startStoreWorker()
        let exportDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-exports-\(UUID().uuidString)")
        var exports = ExportSettings(directory: exportDirectory)
        exports.debounce = .milliseconds(100)
        exports.timeZone = TimeZone(identifier: "Europe/Paris")!
        pipeline.startProjectWorker(exports: exports)
        for body in try DemoClass.bodies() {
            #expect(try await pipeline.post(String(decoding: body, as: UTF8.self)) == 200)
        }
        let store = MongoProjectionStore(database: pipeline.database)
        try await eventually("everyone has left and the incident is known") {
            let snapshot = try await store.snapshot()
            return snapshot.presence.count == 6 && snapshot.presence.allSatisfy { !$0.inRoom }
                && snapshot.incidents.count == 1 && snapshot.meetings.first?.endedAt != nil
        }
        let snapshot = try await store.snapshot()
        #expect(snapshot.disconnections.sorted { $0.at < $1.at }.map(\.bounced) == [true, true, false])
        #expect(snapshot.incidents.first?.participants == ["Alan Turing", "Katherine Johnson", "Grace Hopper"])
        #expect(snapshot.meetings.first?.peakParticipants == 6)
        #expect(snapshot.meetings.first?.durationSeconds == 3600)
        #expect(snapshot.alerts.first?.issues == ["Unstable audio quality", "Network latency"])

        // The incident went back through the exchange and was stored like any event.
        try await eventually("the incident announcement is stored") {
            try await pipeline.storedCount(["event": "lookout.incident.collective_disconnection", "source": "projection"]) == 1
        }
        // The files are replaced one after the other: wait for each, not only the first.
        try await eventually("the dashboard CSV is written") {
            let csv = try String(contentsOf: exportDirectory.appendingPathComponent("zoom-room-dashboard.csv"), encoding: .utf8)
            return csv.contains(#""Alan Turing","<i class=""fa-solid fa-toggle-off""></i>","2026-11-22-09:01:31","2026-11-22-09:59:50""#)
        }
        try await eventually("the incidents CSV is written") {
            let incidents = try String(contentsOf: exportDirectory.appendingPathComponent("zoho-incidents.csv"), encoding: .utf8)
            return incidents.contains(#""3","Alan Turing; Katherine Johnson; Grace Hopper","false""#)
        }
        #expect(FileManager.default.fileExists(atPath: exportDirectory.appendingPathComponent("lookout.json").path))
        await pipeline.shutdown()
        try? FileManager.default.removeItem(at: exportDirectory)
    }

    @Test func shuffledDuplicatedDeliveriesToTwoReplicasEqualOneOrderedPass() async throws {
        let pipeline = try await Pipeline()
        let bodies = try DemoClass.bodies()

        // The reference: one worker, events in order, one at a time.
        let ordered = try MongoDatabase(uri: pipeline.mongo.uri.replacingOccurrences(of: "/lookout?", with: "/ordered?"))
        let reference = pipeline.startProjectWorker(database: ordered, prefetch: 1, batchSize: 1)
        for body in bodies { try await pipeline.publish([body]) }
        let orderedStore = MongoProjectionStore(database: ordered)
        try await eventually("the ordered pass is complete") {
            let ended = try await orderedStore.snapshot().meetings.first?.endedAt != nil
            return try ended && pipeline.queueDepth(pipeline.topology.layout.projectQueue) == 0
        }
        await pipeline.stop(reference)

        // Two replicas, small batches, every event twice, in a shuffled order.
        var generator = SystemRandomNumberGenerator()
        let storm = (bodies + bodies + bodies.prefix(7)).shuffled(using: &generator)
        pipeline.startProjectWorker(prefetch: 3, batchSize: 3)
        pipeline.startProjectWorker(prefetch: 3, batchSize: 3)
        try await pipeline.publish(storm)
        try await eventually("the queue is drained") { try pipeline.queueDepth(pipeline.topology.layout.projectQueue) == 0 }
        let replicated = MongoProjectionStore(database: pipeline.database)
        try await eventually("both passes agree", timeout: .seconds(30)) {
            canonical(try await replicated.snapshot()) == canonical(try await orderedStore.snapshot())
        }
        let snapshot = try await replicated.snapshot()
        #expect(snapshot.presence.count == 6)
        #expect(snapshot.incidents.count == 1)
        await pipeline.shutdown()
    }

    @Test func rebuildFromStoredEventsGivesTheSameProjections() async throws {
        let pipeline = try await Pipeline()
        let storeWorker = pipeline.startStoreWorker()
        let projectWorker = pipeline.startProjectWorker()
        try await pipeline.publish(try DemoClass.bodies())
        let store = MongoProjectionStore(database: pipeline.database)
        try await eventually("all events are stored and projected") {
            let stored = try await pipeline.storedCount(["event": Pipeline.meetingEventNames])
            let ended = try await store.snapshot().meetings.first?.endedAt != nil
            return try stored == 24 && ended && pipeline.queueDepth(pipeline.topology.layout.projectQueue) == 0
        }
        await pipeline.stop(projectWorker)
        await pipeline.stop(storeWorker)
        let before = canonical(try await store.snapshot())

        let outcome = try await ProjectionRebuild(database: pipeline.database, store: store, rules: ProjectionRules())
            .run(batchSize: 5) { _ in }
        #expect(outcome == ProjectionRebuild.Outcome(read: 24, unreadable: 0))
        #expect(canonical(try await store.snapshot()) == before)
        await pipeline.shutdown()
    }
}

@Suite(.enabled(if: TestEnvironment.available))
struct ProjectionStoreTests {
    /// Two replicas may finish out of order: the one computed from fewer facts must not win.
    @Test func aStaleRecomputationNeverOverwritesANewerOne() async throws {
        let mongo = try MongoWireServer()
        try await mongo.start()
        defer { mongo.stop() }
        let store = MongoProjectionStore(database: try MongoDatabase(uri: mongo.uri))
        try await store.prepare()
        let facts = try DemoClass.bodies().compactMap { body -> AttendanceFact? in
            if case .attendance(let fact, _) = try ProjectionInput.from(body: body, id: IdempotencyKey.of(body), rules: ProjectionRules()) {
                return fact
            }
            return nil
        }.filter { $0.attendee == "u-kath" }
        func update(_ facts: [AttendanceFact]) -> Projector.Update {
            Projector.update(groupFacts: facts, instanceFacts: facts, rules: ProjectionRules())
        }
        let newer = update(facts)
        let stale = update(Array(facts.prefix(2)))
        #expect(newer.presence != stale.presence)

        try await store.save(newer)
        try await store.save(stale)
        let snapshot = try await store.snapshot()
        #expect(snapshot.presence == newer.presence)
        #expect(snapshot.disconnections == newer.disconnections)
        #expect(snapshot.meetings.first?.peakParticipants == newer.peaks.first?.participants)

        // Replaying the same update is harmless too.
        try await store.save(newer)
        #expect(try await store.snapshot().presence == newer.presence)
    }

    /// Only documents written at or after a time come back from `changes(since:)`.
    @Test func changesSinceATimeAreTheDocumentsWrittenFromThen() async throws {
        let mongo = try MongoWireServer()
        try await mongo.start()
        defer { mongo.stop() }
        let store = MongoProjectionStore(database: try MongoDatabase(uri: mongo.uri))
        try await store.prepare()
        let inputs = try DemoClass.bodies().map { try ProjectionInput.from(body: $0, id: IdempotencyKey.of($0), rules: ProjectionRules()) }
        let pass = ProjectionPass(store: store, rules: ProjectionRules(), announcer: nil)
        try await pass.apply(inputs)
        let everything = try await store.changes(since: nil)
        #expect(everything.presence.count == 6)
        #expect(everything.meetings.first?.peakParticipants == 6)
        // Deliberate: the clock moves past the writes, so `since` is after all of them.
        try await Task.sleep(for: .milliseconds(20))
        let since = BSONDate(Date())
        #expect(try await store.changes(since: since).count == 0)
        // Katherine's facts again from another replica's save: only her rows change.
        let kath = try DemoClass.bodies().compactMap { body -> AttendanceFact? in
            if case .attendance(let fact, _) = try ProjectionInput.from(body: body, id: IdempotencyKey.of(body), rules: ProjectionRules()) {
                return fact.attendee == "u-kath" ? fact : nil
            }
            return nil
        }
        let last = try #require(kath.max { $0.at < $1.at })
        let rejoin = AttendanceFact(id: "rejoin", meetingID: last.meetingID, meetingUUID: last.meetingUUID, attendee: last.attendee,
                                    name: last.name, kind: .join, at: BSONDate(milliseconds: last.at.milliseconds + 1000))
        let update = Projector.update(groupFacts: kath + [rejoin], timelines: [], rules: ProjectionRules())
        try await MongoProjectionStore(database: try MongoDatabase(uri: mongo.uri)).save(update)
        let changed = try await store.changes(since: since)
        #expect(changed.presence.map(\.attendee) == ["u-kath"])
        #expect(changed.presence.first?.inRoom == true)
        #expect(changed.presence.allSatisfy { !$0.disconnections.isEmpty && $0.disconnections.allSatisfy { $0.attendee == "u-kath" } })
        #expect(changed.meetings.isEmpty && changed.incidents.isEmpty && changed.alerts.isEmpty)
    }

    /// The writer keeps rows in memory and reads changes: what another replica projects reaches
    /// its files, and they are the files a full read renders.
    @Test func theExportWriterShowsWhatAnotherReplicaProjected() async throws {
        let mongo = try MongoWireServer()
        try await mongo.start()
        defer { mongo.stop() }
        let store = MongoProjectionStore(database: try MongoDatabase(uri: mongo.uri))
        try await store.prepare()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-exports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = ExportSettings(directory: directory)
        settings.debounce = .milliseconds(10)
        let writer = ExportWriter(store: store, settings: settings, rules: ProjectionRules(), logger: Logger(label: "test"))
        let running = Task { try await writer.run() }
        let csv = directory.appendingPathComponent(ExportFiles.dashboard)
        try await eventually("the first, empty export") { (try? String(contentsOf: csv, encoding: .utf8)) != nil }

        let inputs = try DemoClass.bodies().map { try ProjectionInput.from(body: $0, id: IdempotencyKey.of($0), rules: ProjectionRules()) }
        let replica = ProjectionPass(store: MongoProjectionStore(database: try MongoDatabase(uri: mongo.uri)), rules: ProjectionRules(),
                                     announcer: nil)
        try await replica.apply(Array(inputs.prefix(8)))
        writer.markChanged()
        try await eventually("the first participants are shown") {
            try String(contentsOf: csv, encoding: .utf8).contains("Ada Lovelace")
        }
        try await replica.apply(Array(inputs.dropFirst(8)))
        writer.markChanged()
        let full = try ExportFiles.render(try await store.snapshot(), settings: settings, rules: ProjectionRules(), now: Date())
        try await eventually("every file is what a full read renders") {
            full.filter { $0.name != ExportFiles.json }.allSatisfy { file in
                (try? Data(contentsOf: directory.appendingPathComponent(file.name))) == file.contents
            }
        }
        running.cancel()
        _ = await running.result
    }
}
