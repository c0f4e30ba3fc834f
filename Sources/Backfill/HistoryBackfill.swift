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
    public struct Request: Sendable {
        public var range: BackfillRange
        /// Only these meetings (ids or instance UUIDs); every tracked meeting when empty.
        public var meetingIDs: [String] = []
        /// Ignore the ledger and fetch every meeting again (safe: the keys make it add nothing).
        public var restart = false

        public init(range: BackfillRange, meetingIDs: [String] = [], restart: Bool = false) {
            self.range = range
            self.meetingIDs = meetingIDs
            self.restart = restart
        }
    }

    private let history: MeetingHistory
    private let publisher: any EventPublisher
    private let ledger: BackfillLedger
    private let filter: MeetingFilter
    private let accountID: String
    private let retry: Backoff
    private let logger: Logger

    public init(history: MeetingHistory, publisher: any EventPublisher, ledger: BackfillLedger, filter: MeetingFilter,
                accountID: String, retry: Backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(10)), logger: Logger) {
        self.history = history
        self.publisher = publisher
        self.ledger = ledger
        self.filter = filter
        self.accountID = accountID
        self.retry = retry
        self.logger = logger
    }

    public func run(_ request: Request, progress report: (BackfillProgress) -> Void) async throws -> BackfillProgress {
        let clock = ContinuousClock()
        let start = clock.now
        let meetings = try await meetings(for: request)
        let done = request.restart ? [] : try await ledger.completed(meetings.map(\.uuid))
        var progress = BackfillProgress()
        progress.total = meetings.count
        progress.skipped = meetings.filter { done.contains($0.uuid) }.count
        report(progress)
        for meeting in meetings where !done.contains(meeting.uuid) {
            try Task.checkCancellation()
            let participants = try await history.participants(meetingUUID: meeting.uuid)
            let events = try BackfillEvents.events(meeting: meeting, participants: participants, accountID: accountID)
            try await publish(events)
            try await ledger.markCompleted(uuid: meeting.uuid, meetingID: meeting.id, events: events.count)
            progress.backfilled += 1
            progress.events += events.count
            progress.elapsed = clock.now - start
            report(progress)
        }
        progress.elapsed = clock.now - start
        return progress
    }

    /// The tracked past meetings of the range, oldest first, each instance once.
    func meetings(for request: Request) async throws -> [PastMeeting] {
        var listed: [PastMeeting] = []
        do throws(ZoomAPIError) {
            for window in request.range.windows() {
                listed += try await history.pastMeetings(from: window.from, to: window.to)
            }
        } catch {
            // No Dashboard API on this plan: the meeting report knows each named meeting's last instance.
            guard case .rejected(let status, _, let message) = error, status == 400 || status == 403,
                  !request.meetingIDs.isEmpty else { throw error }
            logger.notice("Dashboard API refused, using the meeting report", metadata: ["status": "\(status)", "message": "\(message)"])
            listed = []
            for id in request.meetingIDs { listed.append(try await history.reportedMeeting(id: id)) }
        }
        var seen = Set<String>()
        return listed.filter { meeting in
            guard seen.insert(meeting.uuid).inserted else { return false }
            if !request.meetingIDs.isEmpty, !request.meetingIDs.contains(meeting.id), !request.meetingIDs.contains(meeting.uuid) {
                return false
            }
            if let start = ZoomTime.parse(meeting.startTime), !request.range.contains(start) { return false }
            return filter.matches(meetingID: meeting.id, topic: meeting.topic, hostID: meeting.hostID)
        }.sorted { ($0.startTime ?? "", $0.uuid) < ($1.startTime ?? "", $1.uuid) }
    }

    /// Publishes a meeting's events and returns once the broker confirmed every one; a refusal is
    /// retried with backoff (the keys make a message confirmed twice harmless).
    private func publish(_ events: [EventMessage]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for event in events {
                group.addTask { [publisher, retry, logger] in
                    let confirmed: Void? = await retry.retrying("publish \(event.routingKey)", logger: logger,
                                                                 isTransient: { $0 != .shuttingDown }) { () throws(PublishFailure) in
                        try await publisher.publish(event)
                    }
                    if confirmed == nil { throw CancellationError() }
                }
            }
            try await group.waitForAll()
        }
    }
}
