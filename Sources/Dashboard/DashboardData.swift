import Foundation
import Projections
import ZoomModel

/// Where a disconnection came from: one person's connection, a collective incident of their
/// meeting, or a platform-wide one (several meetings at once).
public enum DisconnectionCause: String, Sendable, Encodable { case individual, collective, platformWide = "platform_wide" }

/// The projections arranged for the pages, once per projection version: sessions and drops
/// sorted by time (a period is a binary search, not a scan of a term of data), rows by meeting
/// and by person, each drop's cause (alone, a collective incident, a platform-wide one).
final class DashboardData: Sendable {
    /// One stay of one person: `end` is nil while they are in the room.
    struct Span: Sendable {
        let start: Int64
        let end: Int64?
        let seconds: Int
        let row: Int
        let person: Int
        let session: Int
    }

    struct Drop: Sendable {
        let at: Int64
        let row: Int
        /// Index in the row's `disconnections`.
        let index: Int
        let person: Int
        let isReconnect: Bool
        let cause: DisconnectionCause
        /// Index in `incidents`.
        let incident: Int?
    }

    /// Incidents of several meetings at once (within the collective window of each other).
    struct PlatformEvent: Sendable {
        let start: Int64
        let end: Int64
        let incidents: [Int]
        let meetings: Int
        let people: Int
    }

    let snapshot: ProjectionSnapshot
    let windowSeconds: Int
    let topics: [String: String]
    /// Instances by start (unknown starts first).
    let meetings: [MeetingSummary]
    let instancesByMeeting: [String: [Int]]
    /// Each instance's start and end; when Zoom sent no `meeting.started` (or `ended`) for the one
    /// instance of a meeting, from its people's stays.
    let instanceSpans: [(start: Int64?, end: Int64?)]
    let rowsByMeeting: [String: [Int]]
    /// Distinct people (normalised names) and each presence row's person.
    let people: [String]
    let personOfRow: [Int]
    let rowsByPerson: [[Int]]
    let personByName: [String: Int]
    let spans: [Span]
    /// The longest ended span, so spans begun before a period that reach into it are found.
    private let longestSpan: Int64
    let drops: [Drop]
    let dropsByMeeting: [String: [Int]]
    let incidents: [CollectiveIncident]
    let incidentsByMeeting: [String: [Int]]
    let platformWide: Set<String>
    let platformEvents: [PlatformEvent]
    let alerts: [QualityAlert]

    init(_ snapshot: ProjectionSnapshot, windowSeconds: Int) {
        self.snapshot = snapshot
        self.windowSeconds = windowSeconds
        topics = snapshot.topics
        meetings = snapshot.meetings.sorted { ($0.startedAt?.milliseconds ?? .min, $0.id) < ($1.startedAt?.milliseconds ?? .min, $1.id) }
        var instancesByMeeting: [String: [Int]] = [:]
        for (index, meeting) in meetings.enumerated() { if let id = meeting.meetingID { instancesByMeeting[id, default: []].append(index) } }
        self.instancesByMeeting = instancesByMeeting

        var people: [String] = [], personByName: [String: Int] = [:], personOfRow: [Int] = [], rowsByPerson: [[Int]] = []
        var rowsByMeeting: [String: [Int]] = [:]
        var spans: [Span] = [], longest: Int64 = 0
        for (index, row) in snapshot.presence.enumerated() {
            let name = Identity.normalizedName(row.name)
            let person: Int
            if let known = personByName[name] { person = known } else {
                person = people.count
                people.append(name)
                personByName[name] = person
                rowsByPerson.append([])
            }
            personOfRow.append(person)
            rowsByPerson[person].append(index)
            rowsByMeeting[row.meetingID, default: []].append(index)
            let open = row.inRoom ? row.sessions.lastIndex { $0.leftAt == nil && $0.joinedAt != nil } : nil
            for (number, session) in row.sessions.enumerated() {
                guard let joined = session.joinedAt else { continue }
                if number == open || session.leftAt != nil {
                    let end = number == open ? nil : session.leftAt?.milliseconds
                    if let end { longest = max(longest, end - joined.milliseconds) }
                    spans.append(Span(start: joined.milliseconds, end: end, seconds: session.secondsConnected, row: index,
                                      person: person, session: number))
                }
            }
        }
        spans.sort { $0.start < $1.start }
        instanceSpans = meetings.map { meeting in
            var (start, end) = (meeting.startedAt?.milliseconds, meeting.endedAt?.milliseconds)
            if start == nil || end == nil, let id = meeting.meetingID, instancesByMeeting[id]?.count == 1 {
                let rows = (rowsByMeeting[id] ?? []).map { snapshot.presence[$0] }
                start = start ?? rows.flatMap(\.sessions).compactMap(\.joinedAt?.milliseconds).min()
                if !rows.contains(where: \.inRoom) { end = end ?? rows.flatMap(\.sessions).compactMap(\.leftAt?.milliseconds).max() }
            }
            return (start, end)
        }
        self.people = people
        self.personByName = personByName
        self.personOfRow = personOfRow
        self.rowsByPerson = rowsByPerson
        self.rowsByMeeting = rowsByMeeting
        self.spans = spans
        longestSpan = longest

        let incidents = snapshot.incidents.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        self.incidents = incidents
        var incidentsByMeeting: [String: [Int]] = [:]
        for (index, incident) in incidents.enumerated() { incidentsByMeeting[incident.meetingID, default: []].append(index) }
        self.incidentsByMeeting = incidentsByMeeting
        let platformWide = snapshot.platformWideIncidentIDs(windowSeconds: windowSeconds)
        self.platformWide = platformWide
        platformEvents = Self.events(incidents, platformWide: platformWide, slack: Int64(windowSeconds) * 1000)

        var drops: [Drop] = []
        for (index, row) in snapshot.presence.enumerated() {
            let name = Identity.normalizedName(row.name)
            for (number, drop) in row.disconnections.enumerated() {
                let incident = (incidentsByMeeting[row.meetingID] ?? []).first { candidate in
                    let incident = incidents[candidate]
                    return drop.at >= incident.startedAt && drop.at <= incident.endedAt
                        && incident.participants.contains { Identity.normalizedName($0) == name }
                }
                let cause: DisconnectionCause = incident.map { platformWide.contains(incidents[$0].id) ? .platformWide : .collective } ?? .individual
                drops.append(Drop(at: drop.at.milliseconds, row: index, index: number, person: personOfRow[index],
                                  isReconnect: drop.kind == .reconnect, cause: cause, incident: incident))
            }
        }
        drops.sort { ($0.at, $0.row) < ($1.at, $1.row) }
        var dropsByMeeting: [String: [Int]] = [:]
        for (index, drop) in drops.enumerated() { dropsByMeeting[snapshot.presence[drop.row].meetingID, default: []].append(index) }
        self.drops = drops
        self.dropsByMeeting = dropsByMeeting
        alerts = snapshot.alerts.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
    }

    /// Platform-wide incidents grouped into the moments they happened together.
    private static func events(_ incidents: [CollectiveIncident], platformWide: Set<String>, slack: Int64) -> [PlatformEvent] {
        var events: [PlatformEvent] = []
        var current: [Int] = [], end: Int64 = .min
        func close() {
            guard !current.isEmpty else { return }
            let chosen = current.map { incidents[$0] }
            events.append(PlatformEvent(start: chosen.map(\.startedAt.milliseconds).min()!, end: end, incidents: current,
                                        meetings: Set(chosen.map(\.meetingID)).count,
                                        people: chosen.reduce(0) { $0 + $1.participantCount }))
            current = []
        }
        for (index, incident) in incidents.enumerated() where platformWide.contains(incident.id) {
            if incident.startedAt.milliseconds > end + slack { close() }
            current.append(index)
            end = max(current.count == 1 ? .min : end, incident.endedAt.milliseconds)
        }
        close()
        return events
    }

    func row(_ index: Int) -> ParticipantPresence { snapshot.presence[index] }

    func disconnection(_ drop: Drop) -> NetworkDisconnection { snapshot.presence[drop.row].disconnections[drop.index] }

    /// Spans that overlap the period (an open one reaches `now`).
    func spans(in period: Period) -> ArraySlice<Span> {
        let (start, end) = (Self.ms(period.start), Self.ms(period.end))
        let first = lowerBound(spans.count) { spans[$0].start < start - longestSpan }
        let last = lowerBound(spans.count) { spans[$0].start < end }
        return spans[first..<last]
    }

    func overlaps(_ span: Span, _ start: Int64, _ end: Int64, now: Int64) -> Bool {
        span.start < end && (span.end ?? now) > start
    }

    /// Drops (indices into `drops`) in the period.
    func drops(in period: Period) -> Range<Int> {
        let (start, end) = (Self.ms(period.start), Self.ms(period.end))
        return lowerBound(drops.count) { drops[$0].at < start }..<lowerBound(drops.count) { drops[$0].at < end }
    }

    func incidents(in period: Period) -> Range<Int> {
        let (start, end) = (Self.ms(period.start), Self.ms(period.end))
        return lowerBound(incidents.count) { incidents[$0].startedAt.milliseconds < start }
            ..< lowerBound(incidents.count) { incidents[$0].startedAt.milliseconds < end }
    }

    func instances(in period: Period, now: Date) -> [Int] {
        meetings.indices.filter { index in
            let (start, end) = instanceSpans[index]
            guard let start else { return false }
            return period.overlaps(Date(milliseconds: start), end.map(Date.init(milliseconds:)) ?? now)
        }
    }

    /// Whether anything is known about this meeting id.
    func knows(meetingID: String) -> Bool {
        rowsByMeeting[meetingID] != nil || instancesByMeeting[meetingID] != nil || snapshot.alerts.contains { $0.meetingID == meetingID }
    }

    /// The instance of `meetingID` that was on at `at`: the last one started at or before it.
    func instance(of meetingID: String, at: Int64) -> Int? {
        (instancesByMeeting[meetingID] ?? []).last { (instanceSpans[$0].start ?? .min) <= at }
    }

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The first index in 0..<count for which `before` is false (`before` true then false).
    private func lowerBound(_ count: Int, _ before: (Int) -> Bool) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if before(middle) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
