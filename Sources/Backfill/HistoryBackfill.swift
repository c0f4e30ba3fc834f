import Foundation
import Logging
import ZoomModel
import LookoutCore
import Projections
import ZoomAPI

/// Pulls past meetings and their participants from Zoom and publishes them as events with source
/// `backfill`, a meeting at a time, marking each done in the ledger once the broker confirmed all
/// of its events.
public struct HistoryBackfill: Sendable {
    /// Where the meetings come from.
    public enum Source: String, Sendable, CaseIterable {
        /// The Dashboard lists the range's meetings (last six months only); participants from the
        /// Dashboard, or from the Report API when Zoom says the plan has no Dashboard.
        case dashboard
        /// The Report API only: the named meetings' instances (`--meeting`), of any age Zoom keeps.
        case report
    }

    public struct Request: Sendable {
        public var range: BackfillRange
        /// Only these meetings (ids or instance UUIDs); every tracked meeting when empty.
        public var meetingIDs: [String] = []
        /// Ignore the ledger and fetch every meeting again (safe: the keys make it add nothing).
        public var restart = false
        public var source: Source = .dashboard

        public init(range: BackfillRange, meetingIDs: [String] = [], restart: Bool = false, source: Source = .dashboard) {
            self.range = range
            self.meetingIDs = meetingIDs
            self.restart = restart
            self.source = source
        }
    }

    /// A request that cannot be served as asked; nothing was published.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case reportNeedsMeetings
        case planLacksDashboard(String)

        public var description: String {
            switch self {
            case .reportNeedsMeetings:
                "the Report API lists no meetings by date: name them with --meeting ID... (meeting ids or instance UUIDs)"
            case .planLacksDashboard(let message):
                "the account's plan has no Dashboard API (Zoom: \(message)); name the meetings with --meeting ID... "
                    + "to backfill them from the Report API"
            }
        }
    }

    private let history: MeetingHistory
    private let publisher: any EventPublisher
    private let ledger: any BackfillLedger
    private let filter: MeetingFilter
    private let accountID: String
    private let known: (any KnownMovements)?
    private let now: @Sendable () -> Date
    private let retry: RetryPolicy
    private let logger: Logger

    /// - Parameter known: the joins and leaves already stored, to key Report API rows like the
    ///   webhooks of the same join (`ReportIdentity`); nil: Report rows keep their `user_id`.
    public init(history: MeetingHistory, publisher: any EventPublisher, ledger: any BackfillLedger, filter: MeetingFilter,
                accountID: String, known: (any KnownMovements)? = nil, now: @escaping @Sendable () -> Date = Date.init,
                retry: RetryPolicy = RetryPolicy(initial: .milliseconds(250), maximum: .seconds(10)), logger: Logger) {
        self.history = history
        self.publisher = publisher
        self.ledger = ledger
        self.filter = filter
        self.accountID = accountID
        self.known = known
        self.now = now
        self.retry = retry
        self.logger = logger
    }

    public func run(_ request: Request, progress report: (BackfillProgress) -> Void) async throws -> BackfillProgress {
        switch request.source {
        case .dashboard: try request.range.checkDashboardWindow(now: now())
        case .report: guard !request.meetingIDs.isEmpty else { throw Refusal.reportNeedsMeetings }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let plan = try await meetings(for: request)
        let listing = await history.client.budgetStatus().made
        let done = request.restart ? [] : try await ledger.completed(plan.meetings.map(\.instance))
        var progress = BackfillProgress()
        progress.total = plan.meetings.count
        progress.skipped = plan.meetings.filter { done.contains($0.instance) }.count
        await note(into: &progress, since: listing)
        report(progress)
        for meeting in plan.meetings where !done.contains(meeting.instance) {
            try Task.checkCancellation()
            var records = try await history.participantRecords(meetingUUID: meeting.instance, source: plan.source)
            if let known, records.participants.contains(where: { $0.participantUUID?.isEmpty != false }) {
                let movements = try await known.movements(meetingID: meeting.id, instance: meeting.instance)
                records.participants = ReportIdentity.adopt(records.participants, known: movements)
            }
            let events = try BackfillEvents.events(meeting: meeting, participants: records.participants, accountID: accountID)
            try await publish(events)
            try await ledger.markCompleted(uuid: meeting.instance, meetingID: meeting.id, events: events.count)
            progress.backfilled += 1
            progress.events += events.count
            progress.elapsed = clock.now - start
            await note(into: &progress, since: listing)
            report(progress)
        }
        progress.elapsed = clock.now - start
        return progress
    }

    private func note(into progress: inout BackfillProgress, since listing: Int) async {
        let status = await history.client.budgetStatus()
        progress.budget = status
        progress.requests = status.made - listing
        progress.untilReset = .milliseconds(Int64(max(0, status.resetsAt.timeIntervalSince(now())) * 1000))
    }

    /// The tracked past meetings of the range, oldest first, each instance once, and where their
    /// participants are to be read.
    func meetings(for request: Request) async throws -> (meetings: [ZoomEvent.Meeting], source: ParticipantSource) {
        if request.source == .report { return (try await reported(request), .report) }
        var listed: [ZoomEvent.Meeting] = []
        do throws(ZoomAPIError) {
            for window in request.range.windows() {
                listed += try await history.pastMeetings(from: window.from, to: window.to)
            }
        } catch {
            guard case .planLacksFeature(_, let message) = error else { throw error }
            guard !request.meetingIDs.isEmpty else { throw Refusal.planLacksDashboard(message) }
            logger.notice("the plan has no Dashboard API, using the Report API", metadata: ["message": "\(message)"])
            return (try await reported(request), .report)
        }
        return (tracked(listed, request), .dashboard)
    }

    /// The named meetings from the Report API: a meeting id's every instance (the report by id
    /// would give the last one only), each instance's report; instances already done are not
    /// asked for again (the report is a Heavy request).
    private func reported(_ request: Request) async throws -> [ZoomEvent.Meeting] {
        var found: [ZoomEvent.Meeting] = []
        for id in request.meetingIDs {
            let candidates: [ZoomEvent.Meeting]
            if !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }) {
                candidates = try await history.instances(meetingID: id).filter { instance in
                    instance.startTime.map(request.range.contains) ?? true
                }
            } else {
                candidates = [ZoomEvent.Meeting(uuid: id)]
            }
            let done = request.restart ? [] : try await ledger.completed(candidates.map(\.instance))
            for candidate in candidates {
                if done.contains(candidate.instance) {
                    found.append(candidate)
                    continue
                }
                var meeting = try await history.reportedMeeting(uuid: candidate.instance)
                meeting.uuid = meeting.uuid.flatMap { $0.isEmpty ? nil : $0 } ?? candidate.instance
                if meeting.id.isEmpty { meeting.id = candidate.id.isEmpty ? id : candidate.id }
                found.append(meeting)
            }
        }
        let done = request.restart ? [] : try await ledger.completed(found.map(\.instance))
        return tracked(found, request, done: done)
    }

    /// Each instance once; only the named meetings, of the range, that the rules track (an
    /// instance already done passes: it is counted as skipped).
    private func tracked(_ listed: [ZoomEvent.Meeting], _ request: Request, done: Set<String> = []) -> [ZoomEvent.Meeting] {
        var seen = Set<String>()
        return listed.filter { meeting in
            guard seen.insert(meeting.instance).inserted else { return false }
            if done.contains(meeting.instance) { return true }
            if !request.meetingIDs.isEmpty, !request.meetingIDs.contains(meeting.id),
               !request.meetingIDs.contains(meeting.instance) { return false }
            if let start = meeting.startTime, !request.range.contains(start) { return false }
            return filter.matches(meeting)
        }.sorted { ($0.startTime ?? .distantPast, $0.instance) < ($1.startTime ?? .distantPast, $1.instance) }
    }

    /// Publishes a meeting's events and returns once the broker confirmed every one; a refusal is
    /// retried with backoff (the keys make a message confirmed twice harmless).
    private func publish(_ events: [EventMessage]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for event in events {
                group.addTask { [publisher, retry, logger] in
                    let confirmed: Void? = await retry.retrying("publish \(event.routingKey)", logger: logger) { () throws(PublishFailure) in
                        try await publisher.publish(event)
                    }
                    if confirmed == nil { throw CancellationError() }
                }
            }
            try await group.waitForAll()
        }
    }
}
