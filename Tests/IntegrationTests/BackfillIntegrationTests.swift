import Backfill
import Broker
import MongoStorage
import Foundation
import ZoomModel
import Logging
import LookoutCore
import LookoutTestSupport
import CurlHTTP
import ProjectionWorker
import Projections
import Synchronization
import Testing
import ZohoAnalytics
import ZoomAPI
import ZoomWebhooks

/// The demo class held on three days as three meeting instances (one UUID needing Zoom's double
/// encoding), as webhooks and as the Dashboard API would report it (with someone left in the
/// waiting room each day); plus a staff meeting the rules do not track.
enum DemoHistory {
    static let uuids = ["Dm0LookoutDemoMtg==", "/Dm1Lookout//Mtg==", "Dm2Lookout+Demo="]
    static let meetingIDs = ["85012345670", "85012345671", "85012345672"]
    static let filter = MeetingFilter(topics: ["Biology*"])
    /// "Now" for the contract server and the backfill: the demo days are within the Dashboard's six months.
    static let now = Date(timeIntervalSince1970: 1_796_126_400) // 2026-12-01T12:00:00Z

    static func webhooks() throws -> [[UInt8]] {
        try uuids.indices.flatMap { day in
            try DemoClass.bodies().map { body in
                var text = String(decoding: body, as: UTF8.self)
                text = text.replacingOccurrences(of: "Dm0LookoutDemoMtg==", with: uuids[day].replacingOccurrences(of: "/", with: "\\/"))
                    .replacingOccurrences(of: "85012345678", with: meetingIDs[day])
                    .replacingOccurrences(of: "2026-11-22T", with: "2026-11-2\(2 + day)T")
                var object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                object["event_ts"] = (object["event_ts"] as! NSNumber).int64Value + Int64(day) * 86_400_000
                return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            }
        }
    }

    /// What the Dashboard API lists for those webhooks: one record per join, closed by its leave.
    static func zoom(_ behaviour: FakeZoomAPI.Behaviour = .init(now: { DemoHistory.now })) throws -> FakeZoomAPI {
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
                // Admitted only after the class ended: a waiting-room record, not attendance.
                let start = object["start_time"] as! String
                participants[uuid, default: []].append(["user_id": "16799999", "user_name": "Wendy Waiting", "participant_uuid": "u-wendy",
                                                        "join_time": start, "leave_time": start.replacingOccurrences(of: "T08:00", with: "T08:30"),
                                                        "status": "in_waiting_room"])
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
                    open[who] = fields.merging(["network_type": "Wifi", "audio_quality": "good", "device": "Mac", "status": "in_meeting"]) { $1 }
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

/// A busy account's month: `perDay` classes a day for 30 days, each with a few participants.
enum BusyAccount {
    static func zoom(_ behaviour: FakeZoomAPI.Behaviour, perDay: Int = 20, days: Int = 30) -> FakeZoomAPI {
        var meetings: [[String: String]] = []
        var participants: [String: [[String: String]]] = [:]
        let first = Date(timeIntervalSince1970: 1_793_577_600) // 2026-11-02T00:00:00Z
        for day in 0..<days {
            for slot in 0..<perDay {
                let start = first.addingTimeInterval(Double(day * 86_400 + 7 * 3600 + slot * 1800))
                let uuid = "Busy\(day)-\(slot)==", id = String(86_000_000_000 + slot)
                meetings.append(["uuid": uuid, "id": id, "topic": "Biology \(slot)", "host": "Teacher \(slot)",
                                 "start_time": ZoomTime.format(start), "end_time": ZoomTime.format(start.addingTimeInterval(1500))])
                participants[uuid] = (0..<(3 + (day + slot) % 6)).map { person in
                    ["user_id": "\(16_000_000 + person)", "user_name": "Student \(person)", "participant_uuid": "u-\(day)-\(slot)-\(person)",
                     "join_time": ZoomTime.format(start.addingTimeInterval(Double(30 + person))),
                     "leave_time": ZoomTime.format(start.addingTimeInterval(1490)),
                     "leave_reason": "Student \(person) left the meeting. Reason : Host ended the meeting.", "status": "in_meeting"]
                }
            }
        }
        return FakeZoomAPI(meetings: meetings, participants: participants, behaviour: behaviour)
    }

    static let range = try! BackfillRange(from: "2026-11-02", to: "2026-12-01")

    /// Zoom's Business limits (the Dashboard needs Business) with time shrunk four times (a second
    /// of 250 ms, a minute of 15 s) for the client and the contract server alike, and a shrunk
    /// day's cap: the requests per window against each limit are Zoom's (Lookout's default 80 %
    /// of them), and the month's 602 requests take seconds instead of the real ~20 s of Heavy
    /// pacing plus a minute's wait between list pages.
    static func limits(dailyCap: Int, share: Int = 50) -> ZoomRateLimits {
        var limits = ZoomRateLimits(plan: .business, dailySharePercent: share)
        limits.second = .milliseconds(250)
        limits.minute = .seconds(15)
        limits.dailyCapOverride = dailyCap
        return limits
    }

    static func behaviour(dailyCap: Int, usedByOtherApps: Int = 0, now: @escaping @Sendable () -> Date) -> FakeZoomAPI.Behaviour {
        FakeZoomAPI.Behaviour(tokenLifetime: 1000, plan: .business, enforceLimits: true, second: .milliseconds(250), minute: .seconds(15),
                              dailyCap: dailyCap, usedByOtherApps: usedByOtherApps, now: now)
    }
}

/// A snapshot as both channels can deliver it: the Dashboard list has no host id, and alerts come only by webhook.
private func comparable(_ snapshot: ProjectionSnapshot) -> String {
    let canonical = canonical(snapshot)
    let meetings = canonical.meetings.map { "\($0.id) \($0.meetingID ?? "") \($0.topic ?? "") \(String(describing: $0.startedAt)) \(String(describing: $0.endedAt)) \($0.peakParticipants ?? -1)" }
    return "\(canonical.presence)\n\(canonical.disconnections)\n\(canonical.incidents)\n\(meetings)"
}

/// Each person's stays as the projections count them: when, and how long connected.
private func stays(_ snapshot: ProjectionSnapshot) -> [String] {
    snapshot.presence.sorted { $0.id < $1.id }.map { person in
        "\(person.id) \(person.secondsInRoom) " + person.sessions.map { "\(String(describing: $0.joinedAt))-\(String(describing: $0.leftAt)):\($0.secondsConnected)" }.joined(separator: ",")
    }
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
    static let meetingEvents: BSONDocument = ["event": Pipeline.meetingEventNames]

    /// Fast enough not to matter: 200 Heavy requests a (real) second, the whole daily cap.
    static let fastLimits: ZoomRateLimits = {
        var limits = ZoomRateLimits(plan: .business, dailySharePercent: 100)
        limits.rates[.heavy] = .init(200, per: .second)
        limits.rates[.resourceIntensive] = .init(200, per: .second)
        return limits
    }()

    /// Runs one backfill of the demo range (or `request`) against `zoom` with this pipeline's
    /// broker and store; the day's Zoom usage is counted in the pipeline's MongoDB.
    func backfill(_ zoom: FakeZoomAPI, restart: Bool = false, limits: ZoomRateLimits = Pipeline.fastLimits, crashAfter: Int? = nil,
                  request: HistoryBackfill.Request? = nil, pageSize: Int = 4,
                  now: @escaping @Sendable () -> Date = { DemoHistory.now }) async throws -> BackfillProgress {
        var logger = Logger(label: "backfill-test")
        logger.logLevel = .error
        var options = ZoomAPIClient.Options()
        options.limits = limits
        options.retry = RetryPolicy(initial: .milliseconds(20), maximum: .milliseconds(200), attempts: 40)
        let client = ZoomAPIClient(credentials: zoom.credentials, transport: CurlTransport(), options: options,
                                   usage: MongoZoomUsage(database: database, accountID: FakeZoomAPI.accountID), now: now, logger: logger)
        let confirmed = ConfirmedPublisher(url: brokerURL, topology: topology, logger: logger)
        let running = Task { await confirmed.run() }
        defer { running.cancel() }
        try await eventually("the backfill publisher connects") { confirmed.isConnected }
        let publisher: any EventPublisher = crashAfter.map { CrashingPublisher(confirmed, limit: $0) } ?? confirmed
        let backfill = HistoryBackfill(history: MeetingHistory(client: client, pageSize: pageSize), publisher: publisher,
                                       ledger: MongoBackfillLedger(database: database), filter: DemoHistory.filter,
                                       accountID: FakeZoomAPI.accountID, known: StoredMovements(database: database), now: now,
                                       retry: RetryPolicy(initial: .milliseconds(10), maximum: .milliseconds(50)), logger: logger)
        let range = try BackfillRange(from: "2026-11-20", to: "2026-11-30")
        return try await backfill.run(request ?? .init(range: range, restart: restart)) { _ in }
    }

    /// Waits until the store and projections took in everything published. An empty queue is not
    /// enough (the projection worker may hold its last batch unacknowledged): the projections must
    /// also stay the same over a few polls.
    func settle(events: Int, presence: Int = 18) async throws -> ProjectionSnapshot {
        let store = MongoProjectionStore(database: database)
        var previous: (ProjectionSnapshot, Int)?
        var unchanged = 0
        try await eventually("\(events) events stored and projected") {
            let snapshot = canonical(try await store.snapshot())
            let facts = try await database.count("attendance")
            defer { previous = (snapshot, facts) }
            unchanged = previous.map { $0.0 == snapshot && $0.1 == facts } == true ? unchanged + 1 : 0
            return try await storedCount(Self.meetingEvents) == events && snapshot.presence.count == presence
                && snapshot.meetings.filter { $0.endedAt != nil && $0.peakParticipants != nil }.count == 3
                && queueDepth(topology.layout.projectQueue) == 0 && queueDepth(topology.layout.storeQueue) == 0
                && unchanged >= 3
        }
        return try await store.snapshot()
    }

    /// A pipeline that took in the demo class's webhooks.
    static func delivered() async throws -> (Pipeline, ProjectionSnapshot) {
        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        pipeline.startProjectWorker()
        try await pipeline.publish(try DemoHistory.webhooks())
        return (pipeline, try await pipeline.settle(events: 72))
    }
}

@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct BackfillIntegrationTests {
    /// 3 meetings × (start + 10 joins + 10 leaves + end).
    static let backfillEvents = 66
    static let reportRequest = HistoryBackfill.Request(range: try! BackfillRange(from: "2026-11-20", to: "2026-11-30"),
                                                       meetingIDs: DemoHistory.meetingIDs)

    @Test func aBackfilledRangeProjectsLikeItsWebhooksAndASecondBackfillAddsNothing() async throws {
        let zoom = try DemoHistory.zoom()
        try await zoom.start()
        defer { zoom.stop() }
        let (webhooks, delivered) = try await Pipeline.delivered()
        #expect(delivered.incidents.count == 3)
        #expect(delivered.disconnections.count == 9)

        let backfilled = try await Pipeline()
        backfilled.startStoreWorker()
        backfilled.startProjectWorker()
        let first = try await backfilled.backfill(zoom)
        #expect(first.total == 3)
        #expect(first.backfilled == 3)
        #expect(first.events == Self.backfillEvents, "the waiting room is not attendance")
        let projected = try await backfilled.settle(events: Self.backfillEvents)
        #expect(comparable(projected) == comparable(delivered))
        #expect(projected.alerts.isEmpty)
        #expect(try await backfilled.storedCount(["source": "backfill"]) == Self.backfillEvents)

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
        #expect(try await webhooks.database.count(MongoZoomUsage.collection) == 1, "one document for the day")
        await webhooks.shutdown()
        await backfilled.shutdown()
    }

    @Test func aRangeBeforeTheDashboardsSixMonthsIsRefusedBeforeAnyRequest() async throws {
        let zoom = try DemoHistory.zoom()
        try await zoom.start()
        defer { zoom.stop() }
        let pipeline = try await Pipeline()
        let request = HistoryBackfill.Request(range: try BackfillRange(from: "2026-05-31", to: "2026-11-30"))
        await #expect(throws: BackfillRange.Problem.beforeDashboardWindow(earliest: "2026-06-01")) {
            _ = try await pipeline.backfill(zoom, request: request)
        }
        #expect(zoom.state.withLock { $0.apiRequests } == 0)
        await pipeline.shutdown()
    }

    @Test func theCommandRefusesARangeBeforeTheSixMonthsWithExit65() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lookout")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["backfill", "--from", "2020-01-01", "--to", "2020-01-31"]
        process.environment = ["PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 65, "\(output)")
        #expect(output.contains("Zoom's Dashboard API has meetings of the last 6 months only"), "\(output)")
        #expect(output.contains("use the Report API: --source report --meeting ID"), "\(output)")
    }

    /// A token without the Dashboard scope is not a plan without the Dashboard: no fallback.
    @Test func aMissingScopeStopsTheRunNamingTheScope() async throws {
        var behaviour = FakeZoomAPI.Behaviour(now: { DemoHistory.now })
        behaviour.scopes.remove("dashboard_meetings:read:admin")
        let zoom = try DemoHistory.zoom(behaviour)
        try await zoom.start()
        defer { zoom.stop() }
        let pipeline = try await Pipeline()
        let error = await #expect(throws: ZoomAPIError.self) { _ = try await pipeline.backfill(zoom, request: Self.reportRequest) }
        guard case .missingScopes(let scopes, _) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(scopes == ["dashboard_meetings:read:admin"])
        #expect(zoom.state.withLock { $0.apiRequests } == 1, "no Report API fallback")
        await pipeline.shutdown()
    }

    /// Pro has no Dashboard: the named meetings' instances come from the Report API, whose rows
    /// have no participant_uuid; keyed like the stored webhooks of the same joins, they add no fact.
    @Test func aReportBackfillOfWhatWebhooksDeliveredAddsNoFact() async throws {
        let zoom = try DemoHistory.zoom(.init(plan: .pro, now: { DemoHistory.now }))
        try await zoom.start()
        defer { zoom.stop() }
        let (pipeline, delivered) = try await Pipeline.delivered()
        let progress = try await pipeline.backfill(zoom, request: Self.reportRequest)
        #expect(progress.backfilled == 3 && progress.events == Self.backfillEvents)
        let both = try await pipeline.settle(events: 72 + Self.backfillEvents)
        #expect(try await pipeline.database.count("attendance") == 60)
        #expect(canonical(both) == canonical(delivered))
        let state = zoom.state.withLock { $0 }
        #expect(state.violations == [])
        #expect(state.participantRequests == 0, "one refused Dashboard list, then the report only")
        #expect(state.reportRequests == 9, "11 rows (with the waiting room) in pages of 4, for each of 3 instances")
        #expect(state.arrivals[.medium]?.count == 3, "each meeting id's instances listed")
        await pipeline.shutdown()
    }

    /// Without the webhooks (lost, or later than the backfill) a Report row keeps its user_id: two
    /// keys for one join, but each person's stays and time in the room are counted once.
    @Test func aReportBackfillBeforeTheWebhooksCountsEachStayOnce() async throws {
        let zoom = try DemoHistory.zoom(.init(plan: .pro, now: { DemoHistory.now }))
        try await zoom.start()
        defer { zoom.stop() }
        let (webhooksOnly, delivered) = try await Pipeline.delivered()
        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        pipeline.startProjectWorker()
        _ = try await pipeline.backfill(zoom, request: Self.reportRequest)
        let reportOnly = try await pipeline.settle(events: Self.backfillEvents)
        #expect(stays(reportOnly) == stays(delivered))
        // What the report cannot say. No leave reasons: no network drop is classified, a drop with
        // no quick rejoin (Grace, back after ten minutes) is a plain leave, so the collective
        // incidents are missed; a quick rejoin is a reconnect by name and time alone, a breakout
        // move not in the same second (Edsger) included.
        #expect(reportOnly.disconnections.allSatisfy { $0.kind == .reconnect })
        #expect(Set(reportOnly.disconnections.map(\.name)) == ["Alan Turing", "Katherine Johnson", "Edsger Dijkstra"])
        #expect(reportOnly.incidents.isEmpty && delivered.incidents.count == 3)

        try await pipeline.publish(try DemoHistory.webhooks())
        let both = try await pipeline.settle(events: Self.backfillEvents + 72)
        #expect(try await pipeline.database.count("attendance") == 120 - 6, "two keys a join, but the guest's user_id is its attendee both ways")
        #expect(stays(both) == stays(delivered))
        // The webhooks' reasons bring the drops and incidents back; the report's leaves still list
        // their own reconnects beside them.
        #expect(both.incidents.count == delivered.incidents.count)
        #expect(Set(delivered.disconnections.map(\.id)).isSubset(of: both.disconnections.map(\.id)))
        await pipeline.shutdown()
        await webhooksOnly.shutdown()
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
        #expect(try await pipeline.database.count(MongoBackfillLedger.collection) == 1)
        try await eventually("the crashed run's events are stored") { try await pipeline.storedCount(["event": Pipeline.meetingEventNames]) == 30 }

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
        let zoom = try DemoHistory.zoom(.init(tokenLifetime: 4, serverErrorEvery: 7, rateLimitedShare: 0.5, retryAfterSeconds: 0,
                                              now: { DemoHistory.now }))
        try await zoom.start()
        defer { zoom.stop() }
        let pipeline = try await Pipeline()
        pipeline.startStoreWorker()
        pipeline.startProjectWorker()
        var limits = Pipeline.fastLimits
        limits.rates[.heavy] = .init(20, per: .second)
        let progress = try await pipeline.backfill(zoom, limits: limits)
        #expect(progress.backfilled == 3)
        let snapshot = try await pipeline.settle(events: Self.backfillEvents)
        #expect(snapshot.incidents.count == 3)
        let state = zoom.state.withLock { $0 }
        #expect(state.rateLimited >= 3)
        #expect(state.serverErrors >= 1)
        #expect(state.violations == [])
        #expect(zoom.busiest(.heavy, window: .seconds(1)) <= 21, "the limiter must keep Heavy requests to 20 a second")
        await pipeline.shutdown()
    }

    /// A month of a busy account (600 classes, 2 Resource-intensive list pages, 600 Heavy
    /// participant lists) under Zoom's Business limits, enforced by the contract server: the run keeps
    /// to every class's limit and to its share of the day, and Zoom never answers 429.
    @Test func aBusyMonthFinishesWithinItsBudgetWithoutA429() async throws {
        let zoom = BusyAccount.zoom(BusyAccount.behaviour(dailyCap: 1600, now: { DemoHistory.now }))
        try await zoom.start()
        defer { zoom.stop() }
        let pipeline = try await Pipeline()
        let limits = BusyAccount.limits(dailyCap: 1600)
        let progress = try await pipeline.backfill(zoom, limits: limits, request: .init(range: BusyAccount.range), pageSize: 300)
        #expect(progress.backfilled == 600)
        #expect(progress.requests == 600)
        #expect(progress.budget?.usedToday ?? 0 <= limits.dailyBudget)
        let state = zoom.state.withLock { $0 }
        #expect(state.violations == [])
        #expect(state.overLimit.isEmpty && state.dailyLimited == 0 && state.rateLimited == 0, "no 429 at all")
        #expect(state.days[DailyBudget.day(of: DemoHistory.now)] == 602)
        #expect(state.arrivals[.resourceIntensive]?.count == 2)
        #expect(zoom.busiest(.heavy, window: .milliseconds(250)) <= 40, "Heavy: at most 40 a (shrunk) second")
        #expect(zoom.busiest(.resourceIntensive, window: .seconds(15)) <= 20, "Resource-intensive: at most 20 a (shrunk) minute")
        await pipeline.shutdown()
    }

    /// The control for the test above: the contract server does refuse a client that goes faster
    /// than Zoom allows, with Zoom's per-second 429.
    @Test func theContractServerRefusesAClientFasterThanZoomAllows() async throws {
        let zoom = BusyAccount.zoom(BusyAccount.behaviour(dailyCap: 10_000, now: { DemoHistory.now }), perDay: 1, days: 1)
        try await zoom.start()
        defer { zoom.stop() }
        var limits = BusyAccount.limits(dailyCap: 10_000, share: 100)
        limits.rates[.heavy] = .init(1000, per: .second)
        var options = ZoomAPIClient.Options()
        options.limits = limits
        options.retry.attempts = 1
        let history = MeetingHistory(client: ZoomAPIClient(credentials: zoom.credentials, transport: CurlTransport(), options: options,
                                                           now: { DemoHistory.now }, logger: Logger(label: "too-fast")))
        var refused = 0
        for _ in 0..<200 {
            do {
                _ = try await history.participants(meetingUUID: "Busy0-0==")
            } catch {
                guard error == .rateLimited else { throw error }
                refused += 1
            }
        }
        #expect(refused > 0)
        #expect(zoom.state.withLock { $0.overLimit[.heavy] } == refused)
        #expect(zoom.busiest(.heavy, window: .milliseconds(250)) > 40)
    }

    /// The share runs out mid-month: the run stops before Zoom's cap and says when it resumes;
    /// another day, Zoom's own cap (mostly used by other apps) stops it at the first 429, which a
    /// restart the same day respects without asking Zoom again; the next day finishes the month.
    @Test func theDailyCapStopsTheRunUntilTheNextUTCDay() async throws {
        let clock = Mutex(DemoHistory.now)
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let pipeline = try await Pipeline()
        let limits = BusyAccount.limits(dailyCap: 600)
        let request = HistoryBackfill.Request(range: BusyAccount.range)

        // Day 1: 300 requests are the share (50 % of 600): 2 list pages and 298 meetings.
        let zoom = BusyAccount.zoom(BusyAccount.behaviour(dailyCap: 600, usedByOtherApps: 0, now: now))
        try await zoom.start()
        let midnight = DailyBudget.nextReset(after: DemoHistory.now)
        await #expect(throws: ZoomAPIError.dailyBudgetSpent(limit: 300, resumesAt: midnight)) {
            _ = try await pipeline.backfill(zoom, limits: limits, request: request, pageSize: 300, now: now)
        }
        #expect(try await pipeline.database.count(MongoBackfillLedger.collection) == 298)
        #expect(zoom.state.withLock { $0.overLimit.isEmpty && $0.dailyLimited == 0 })
        zoom.stop()

        // Day 2: the other apps used all but 100 of Zoom's cap.
        clock.withLock { $0 = midnight.addingTimeInterval(3600) }
        let crowded = BusyAccount.zoom(BusyAccount.behaviour(dailyCap: 600, usedByOtherApps: 500, now: now))
        try await crowded.start()
        let nextMidnight = midnight.addingTimeInterval(86_400)
        await #expect(throws: ZoomAPIError.dailyLimitReached(resumesAt: nextMidnight)) {
            _ = try await pipeline.backfill(crowded, limits: limits, request: request, pageSize: 300, now: now)
        }
        let asked = crowded.state.withLock { $0.apiRequests }
        #expect(crowded.state.withLock { $0.dailyLimited } == 1, "one daily-limit answer, no storm")
        // A restart the same day knows it from MongoDB and does not ask Zoom again.
        await #expect(throws: ZoomAPIError.dailyLimitReached(resumesAt: nextMidnight)) {
            _ = try await pipeline.backfill(crowded, limits: limits, request: request, pageSize: 300, now: now)
        }
        #expect(crowded.state.withLock { $0.apiRequests } == asked)
        #expect(crowded.state.withLock { $0.afterDailyLimit } == 0)
        crowded.stop()

        // Day 3: the rest.
        clock.withLock { $0 = nextMidnight.addingTimeInterval(60) }
        let fresh = BusyAccount.zoom(BusyAccount.behaviour(dailyCap: 600, now: now))
        try await fresh.start()
        defer { fresh.stop() }
        let last = try await pipeline.backfill(fresh, limits: limits, request: request, pageSize: 300, now: now)
        #expect(last.done == 600 && last.skipped == 298 + 98)
        #expect(fresh.state.withLock { $0.overLimit.isEmpty && $0.dailyLimited == 0 && $0.violations.isEmpty })
        #expect(try await pipeline.database.count(MongoZoomUsage.collection) == 3)
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
                     retry: RetryPolicy(initial: .milliseconds(10), maximum: .milliseconds(50), attempts: 4), logger: logger)
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
