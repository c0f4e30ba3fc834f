import Backfill
import Broker
import EventStore
import Foundation
import ZoomModel
import Logging
import LookoutCore
import OutboundHTTP
import ProjectionWorker
import Projections
import Synchronization
import Testing
import ZohoAnalytics
import ZoomAPI
import ZoomWebhooks

/// The demo class held on three days as three meeting instances (one UUID needing Zoom's double
/// encoding), as webhooks and as the Dashboard API would report it; plus a staff meeting the
/// rules do not track.
enum DemoHistory {
    static let uuids = ["Dm0LookoutDemoMtg==", "/Dm1Lookout//Mtg==", "Dm2Lookout+Demo="]
    static let filter = MeetingFilter(topics: ["Biology*"])

    static func webhooks() throws -> [[UInt8]] {
        try uuids.indices.flatMap { day in
            try DemoClass.bodies().map { body in
                var text = String(decoding: body, as: UTF8.self)
                text = text.replacingOccurrences(of: "Dm0LookoutDemoMtg==", with: uuids[day].replacingOccurrences(of: "/", with: "\\/"))
                    .replacingOccurrences(of: "85012345678", with: "8501234567\(day)")
                    .replacingOccurrences(of: "2026-11-22T", with: "2026-11-2\(2 + day)T")
                var object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                object["event_ts"] = (object["event_ts"] as! NSNumber).int64Value + Int64(day) * 86_400_000
                return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            }
        }
    }

    /// What the Dashboard API lists for those webhooks: one record per join, closed by its leave.
    static func zoom(_ behaviour: FakeZoomAPI.Behaviour = .init()) throws -> FakeZoomAPI {
        var meetings: [[String: String]] = [["uuid": "StaffMtg==", "id": "99900011122", "topic": "Staff chat",
                                              "host": "Dean", "start_time": "2026-11-23T12:00:00Z", "end_time": "2026-11-23T12:30:00Z"]]
        var participants: [String: [[String: String]]] = ["StaffMtg==": [["user_id": "1", "user_name": "Dean", "participant_uuid": "u-dean",
                                                                          "join_time": "2026-11-23T12:00:00Z", "leave_time": "2026-11-23T12:30:00Z"]]]
        var sessions: [String: [(String, [String: String])]] = [:]
        for body in try webhooks() {
            let event = try #require(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            let object = try #require((event["payload"] as? [String: Any])?["object"] as? [String: Any])
            let uuid = object["uuid"] as! String
            let participant = object["participant"] as? [String: Any]
            switch event["event"] as! String {
            case "meeting.started":
                meetings.append(["uuid": uuid, "id": object["id"] as! String, "topic": object["topic"] as! String,
                                 "host": "Demo Host", "start_time": object["start_time"] as! String])
            case "meeting.ended":
                meetings[meetings.firstIndex { $0["uuid"] == uuid }!]["end_time"] = object["end_time"] as? String
            case "meeting.participant_joined", "meeting.participant_left":
                sessions[uuid, default: []].append((event["event"] as! String, participant!.compactMapValues { $0 as? String }))
            default: break
            }
        }
        // Each join, closed by the next leave of the same participant in time (webhooks may arrive out of order).
        for (uuid, events) in sessions {
            var open: [String: [String: String]] = [:]
            let ordered = events.sorted { ($0.1["join_time"] ?? $0.1["leave_time"]!) < ($1.1["join_time"] ?? $1.1["leave_time"]!) }
            for (event, fields) in ordered {
                let who = fields["participant_uuid"] ?? fields["user_id"]!
                if event == "meeting.participant_joined" {
                    open[who] = fields.merging(["network_type": "Wifi", "audio_quality": "good", "device": "Mac"]) { $1 }
                } else {
                    let opened = open.removeValue(forKey: who)
                    var record = try #require(opened, "a leave without its join")
                    record["leave_time"] = fields["leave_time"]
                    record["leave_reason"] = fields["leave_reason"]
                    participants[uuid, default: []].append(record)
                }
            }
            participants[uuid, default: []] += open.values
        }
        for uuid in participants.keys { participants[uuid]!.sort { $0["join_time"]! < $1["join_time"]! } }
        return FakeZoomAPI(meetings: meetings, participants: participants, behaviour: behaviour)
    }
}

/// A snapshot as both channels can deliver it: the Dashboard list has no host id, and alerts come only by webhook.
private func comparable(_ snapshot: ProjectionSnapshot) -> String {
    let canonical = canonical(snapshot)
    let meetings = canonical.meetings.map { "\($0.id) \($0.meetingID ?? "") \($0.topic ?? "") \(String(describing: $0.startedAt)) \(String(describing: $0.endedAt)) \($0.peakParticipants ?? -1)" }
    return "\(canonical.presence)\n\(canonical.disconnections)\n\(canonical.incidents)\n\(meetings)"
}

/// Publishes through the real publisher until `limit` events were confirmed, then fails like a dead process.
private final class CrashingPublisher: EventPublisher {
    let inner: ConfirmedPublisher
    let limit: Int
    private let confirmed = Mutex(0)

    init(_ inner: ConfirmedPublisher, limit: Int) {
        self.inner = inner
        self.limit = limit
    }

    var isConnected: Bool { inner.isConnected }

    func publish(_ message: EventMessage) async throws(PublishFailure) {
        let allowed = confirmed.withLock { confirmed -> Bool in
            guard confirmed < limit else { return false }
            confirmed += 1
            return true
        }
        guard allowed else { throw .shuttingDown }
        try await inner.publish(message)
    }
}

extension Pipeline {
    /// Zoom's events, not the incident announcements the projection worker publishes.
    static let meetingEvents = #"{"event": {"$regex": "^meeting\\."}}"#

    /// Runs one backfill of the demo range against `zoom` with this pipeline's broker and store.
    func backfill(_ zoom: FakeZoomAPI, restart: Bool = false, requestsPerSecond: Double = 200,
                  crashAfter: Int? = nil) async throws -> BackfillProgress {
        var logger = Logger(label: "backfill-test")
        logger.logLevel = .error
        var options = ZoomAPIClient.Options()
        options.requestsPerSecond = requestsPerSecond
        options.retry = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
        options.attempts = 40
        let client = ZoomAPIClient(credentials: zoom.credentials, transport: CurlTransport(), options: options, logger: logger)
        let confirmed = ConfirmedPublisher(url: brokerURL, topology: topology, logger: logger)
        let running = Task { await confirmed.run() }
        defer { running.cancel() }
        try await eventually("the backfill publisher connects") { confirmed.isConnected }
        let publisher: any EventPublisher = crashAfter.map { CrashingPublisher(confirmed, limit: $0) } ?? confirmed
        let backfill = HistoryBackfill(history: MeetingHistory(client: client, pageSize: 4), publisher: publisher,
                                       ledger: BackfillLedger(database: database), filter: DemoHistory.filter,
                                       accountID: FakeZoomAPI.accountID, retry: Backoff(initial: .milliseconds(10), maximum: .milliseconds(50)),
                                       logger: logger)
        return try await backfill.run(.init(range: try BackfillRange(from: "2026-11-20", to: "2026-11-30"), restart: restart)) { _ in }
    }

    /// Waits until the store and projections took in everything published.
    func settle(events: Int, presence: Int = 18) async throws -> ProjectionSnapshot {
        let store = MongoProjectionStore(database: database)
        try await eventually("\(events) events stored and projected") {
            let snapshot = try await store.snapshot()
            return try await storedCount(Self.meetingEvents) == events && snapshot.presence.count == presence
                && snapshot.meetings.filter { $0.endedAt != nil && $0.peakParticipants != nil }.count == 3
                && queueDepth(topology.layout.projectQueue) == 0 && queueDepth(topology.layout.storeQueue) == 0
        }
        return try await store.snapshot()
    }
}

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct BackfillIntegrationTests {
    /// 3 meetings × (start + 10 joins + 10 leaves + end).
    static let backfillEvents = 66

    @Test func aBackfilledRangeProjectsLikeItsWebhooksAndASecondBackfillAddsNothing() async throws {
        let zoom = try DemoHistory.zoom()
        try await zoom.start()
        defer { zoom.stop() }
        let webhooks = try await Pipeline()
        webhooks.startStoreWorker()
        webhooks.startProjectWorker()
        try await webhooks.publish(try DemoHistory.webhooks())
        let delivered = try await webhooks.settle(events: 72)
        #expect(delivered.incidents.count == 3)
        #expect(delivered.disconnections.count == 9)

        let backfilled = try await Pipeline()
        backfilled.startStoreWorker()
        backfilled.startProjectWorker()
        let first = try await backfilled.backfill(zoom)
        #expect(first.total == 3)
        #expect(first.backfilled == 3)
        #expect(first.events == Self.backfillEvents)
        let projected = try await backfilled.settle(events: Self.backfillEvents)
        #expect(comparable(projected) == comparable(delivered))
        #expect(projected.alerts.isEmpty)
        #expect(try await backfilled.storedCount(#"{"source": "backfill"}"#) == Self.backfillEvents)

        // Again: the ledger skips every meeting; forced, the same keys add nothing.
        let participantRequests = zoom.state.withLock { $0.participantRequests }
        let second = try await backfilled.backfill(zoom)
        #expect(second.skipped == 3 && second.backfilled == 0 && second.events == 0)
        #expect(zoom.state.withLock { $0.participantRequests } == participantRequests)
        let forced = try await backfilled.backfill(zoom, restart: true)
        #expect(forced.events == Self.backfillEvents)
        #expect(comparable(try await backfilled.settle(events: Self.backfillEvents)) == comparable(delivered))

        // Backfilling what webhooks already delivered doubles nothing in the projections.
        _ = try await webhooks.backfill(zoom)
        let both = try await webhooks.settle(events: 72 + Self.backfillEvents)
        #expect(try await webhooks.database.count("attendance") == 60)
        #expect(canonical(both) == canonical(delivered))

        #expect(zoom.state.withLock { $0.violations } == [])
        #expect(zoom.state.withLock { $0.tokensIssued } > 1, "tokens expire after a few requests: the client must re-authenticate")
        await webhooks.shutdown()
        await backfilled.shutdown()
    }

    @Test func aCrashMidRangeResumesWithoutDuplicates() async throws {
        let zoom = try DemoHistory.zoom()
        try await zoom.start()
        defer { zoom.stop() }
        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        pipeline.startProjectWorker()
        await #expect(throws: (any Error).self) { try await pipeline.backfill(zoom, crashAfter: 30) }
        // The first meeting (22 events) is done, the second half published.
        #expect(try await pipeline.database.count(BackfillLedger.collection) == 1)
        try await eventually("the crashed run's events are stored") { try await pipeline.storedCount(Pipeline.meetingEvents) == 30 }

        let resumed = try await pipeline.backfill(zoom)
        #expect(resumed.skipped == 1 && resumed.backfilled == 2)
        let snapshot = try await pipeline.settle(events: Self.backfillEvents)
        #expect(try await pipeline.database.count("attendance") == 60)
        #expect(snapshot.incidents.count == 3)
        #expect(snapshot.disconnections.count == 9)
        #expect(zoom.state.withLock { $0.violations } == [])
        await pipeline.shutdown()
    }

    @Test func aRateLimitStormSlowsTheBackfillButItCompletes() async throws {
        let zoom = try DemoHistory.zoom(.init(tokenLifetime: 4, serverErrorEvery: 7, rateLimitedShare: 0.5))
        try await zoom.start()
        defer { zoom.stop() }
        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        pipeline.startProjectWorker()
        let progress = try await pipeline.backfill(zoom, requestsPerSecond: 20)
        #expect(progress.backfilled == 3)
        let snapshot = try await pipeline.settle(events: Self.backfillEvents)
        #expect(snapshot.incidents.count == 3)
        let state = zoom.state.withLock { $0 }
        #expect(state.rateLimited >= 3)
        #expect(state.serverErrors >= 1)
        #expect(state.violations == [])
        #expect(zoom.busiestSecond <= 21, "the limiter must keep to 20 requests a second")
        await pipeline.shutdown()
    }
}

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct ZohoUploadTests {
    static var logger: Logger {
        var logger = Logger(label: "zoho-test")
        logger.logLevel = .error
        return logger
    }

    static func uploader(_ settings: ZohoSettings, tokens: ZohoAccessTokens, database: MongoDatabase) async throws -> ZohoUploader {
        ZohoUploader(settings: settings, tokens: tokens, transport: CurlTransport(), ledger: try await MongoZohoLedger(database: database),
                     retry: Backoff(initial: .milliseconds(10), maximum: .milliseconds(50)), attempts: 4, logger: logger)
    }

    /// Rows of a CSV, header left out.
    static func rows(_ csv: String) -> Set<String> { Set(csv.split(separator: "\n").dropFirst().map(String.init)) }

    /// The demo class up to the moment Grace Hopper dropped (she is away), then the rest (she
    /// returns ten minutes later, everyone leaves): the second upload must carry only the rows
    /// that are new or changed, Grace's disconnection among them.
    @Test func theSecondUploadSendsOnlyTheChangedRows() async throws {
        let zoho = FakeZohoAnalytics()
        try await zoho.start()
        defer { zoho.stop() }
        let pipeline = try await Pipeline()
        pipeline.startProjectWorker()
        let store = MongoProjectionStore(database: pipeline.database)
        let bodies = try DemoClass.bodies()
        let graceReturns = try #require(bodies.firstIndex { String(decoding: $0, as: UTF8.self).contains("08:31:00") })
        try await pipeline.publish(Array(bodies[..<graceReturns]))
        try await eventually("the drop of three is projected, Grace still away") {
            let snapshot = try await store.snapshot()
            return snapshot.incidents.count == 1 && snapshot.disconnections.count == 3
                && snapshot.disconnections.filter { $0.returnedAt == nil }.map(\.name) == ["Grace Hopper"]
        }
        let before = ZohoImport.jobs(try await store.snapshot(), settings: zoho.settings, privacy: .everyone, windowSeconds: 60)

        // A wrong client secret is refused at the accounts server: no import, nothing recorded.
        var wrong = zoho.settings
        guard case .refreshToken(var client) = wrong.authorization else { Issue.record("not a refresh grant"); return }
        client.clientSecret = "not-the-secret"
        wrong.authorization = .refreshToken(client)
        await #expect(throws: ZohoError.authorizationRefused("token refresh at the accounts server: invalid_client")) {
            try await Self.uploader(wrong, tokens: ZohoAccessTokens(wrong.authorization, transport: CurlTransport()),
                                    database: pipeline.database).upload(before[0])
        }
        #expect(zoho.state.withLock { $0.requests } == 0)
        #expect(try await pipeline.database.count(MongoZohoLedger.rows) == 0)

        // One token for every upload of the run; a 503 is retried.
        let tokens = ZohoAccessTokens(zoho.settings.authorization, transport: CurlTransport())
        let uploader = try await Self.uploader(zoho.settings, tokens: tokens, database: pipeline.database)
        zoho.state.withLock { $0.failuresLeft = 1 }
        #expect(try await uploader.upload(before[0]) == .uploaded(rows: 3, files: 1, withdrawn: 0))
        #expect(try await uploader.upload(before[1]) == .uploaded(rows: 1, files: 1, withdrawn: 0))
        #expect(try await uploader.upload(before[0]) == .unchanged)
        #expect(zoho.state.withLock { $0.requests } == 3, "the 503, then one import per table; nothing for an unchanged table")

        try await pipeline.publish(Array(bodies[graceReturns...]))
        try await eventually("everyone has left, Grace returned") {
            let snapshot = try await store.snapshot()
            return snapshot.presence.count == 6 && snapshot.presence.allSatisfy { !$0.inRoom } && snapshot.meetings.first?.endedAt != nil
                && snapshot.disconnections.count == 3 && snapshot.disconnections.allSatisfy { $0.returnedAt != nil }
        }
        let after = ZohoImport.jobs(try await store.snapshot(), settings: zoho.settings, privacy: .everyone, windowSeconds: 60)
        let importsBefore = zoho.state.withLock { $0.imports.count }
        for (old, new) in zip(before, after) {
            let changed = Self.rows(new.csv).subtracting(Self.rows(old.csv))
            let outcome = try await uploader.upload(new)
            #expect(outcome == (changed.isEmpty ? .unchanged : .uploaded(rows: changed.count, files: 1, withdrawn: 0)), "\(new.table)")
        }
        let second = zoho.state.withLock { Array($0.imports[importsBefore...]) }
        let disconnections = try #require(second.first { $0.view == "view-disc" })
        let grace = try #require(try await store.snapshot().disconnections.first { $0.name == "Grace Hopper" })
        #expect(disconnections.keys == [grace.id], "only Grace's row changed")

        // Zoho's tables now hold exactly the current CSVs.
        let tables = zoho.state.withLock { $0.tables }
        #expect(Set((tables["view-disc"] ?? [:]).values) == Self.rows(after[0].csv))
        #expect(Set((tables["view-inc"] ?? [:]).values) == Self.rows(after[1].csv))
        #expect(zoho.state.withLock { $0.tokenRequests } == 2, "the refused secret, then one token for the run")
        #expect(zoho.state.withLock { $0.violations } == [])
        await pipeline.shutdown()
    }

    /// After an hour the token is refused (401): it is renewed once and the import goes through;
    /// a table locked by another import (7092) is waited for with backoff.
    @Test func anExpiredTokenIsRenewedAndALockedTableIsWaitedFor() async throws {
        let zoho = FakeZohoAnalytics()
        try await zoho.start()
        defer { zoho.stop() }
        let pipeline = try await Pipeline()
        pipeline.startProjectWorker()
        try await pipeline.publish(try DemoClass.bodies())
        let store = MongoProjectionStore(database: pipeline.database)
        try await eventually("the demo class is projected") {
            let snapshot = try await store.snapshot()
            return snapshot.incidents.count == 1 && snapshot.disconnections.count == 3 && snapshot.presence.count == 6
        }
        let jobs = ZohoImport.jobs(try await store.snapshot(), settings: zoho.settings, privacy: .everyone, windowSeconds: 60)
        let tokens = ZohoAccessTokens(zoho.settings.authorization, transport: CurlTransport())
        let uploader = try await Self.uploader(zoho.settings, tokens: tokens, database: pipeline.database)
        #expect(try await uploader.upload(jobs[0]) == .uploaded(rows: 3, files: 1, withdrawn: 0))

        zoho.expireTokens()
        zoho.state.withLock { $0.locksLeft = 2 }
        #expect(try await uploader.upload(jobs[0], full: true) == .uploaded(rows: 3, files: 1, withdrawn: 0))
        let state = zoho.state.withLock { $0 }
        #expect(state.tokenRequests == 2, "renewed once after the 401")
        #expect(state.refusedTokens == 1)
        #expect(state.lockedAnswers == 2)
        #expect(state.imports.count == 2)
        #expect(state.requests == 5, "import, 401, two 7092s, import")
        #expect(state.violations == [])
        await pipeline.shutdown()
    }
}
