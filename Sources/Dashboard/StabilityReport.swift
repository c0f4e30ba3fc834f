import Foundation
import Projections

/// How stable the connections are: who keeps dropping (who needs help), collective incidents
/// (platform-wide ones flagged), and Zoom's quality alerts.
public struct StabilityReport: Encodable, Sendable, Equatable {
    public struct Participant: Encodable, Sendable, Equatable {
        public let name: String
        public let disconnections: Int
        /// Came back within the bounce window.
        public let bounced: Int
        public let longestAwaySeconds: Int?
        public let lastDisconnection: Date
        public let meetings: [String]
    }

    public struct Drop: Encodable, Sendable, Equatable {
        public let name: String
        public let meetingID: String
        public let at: Date
        public let reason: String
        public let returnedAt: Date?
        public let bounced: Bool
    }

    public struct Incident: Encodable, Sendable, Equatable {
        public let id: String
        public let meetingID: String
        public let topic: String?
        public let startedAt: Date
        public let endedAt: Date
        public let participantCount: Int
        /// Only the names the audience may see.
        public let participants: [String]
        public let platformWide: Bool
    }

    public struct Alert: Encodable, Sendable, Equatable {
        public let meetingID: String
        public let topic: String?
        public let at: Date
        public let issues: [String]
    }

    /// The span the timeline shows: every drop and incident, and the meetings they happened in.
    public struct Period: Encodable, Sendable, Equatable {
        public let from: Date
        public let until: Date
    }

    public let generatedAt: Date
    public let period: Period?
    public let participants: [Participant]
    public let drops: [Drop]
    public let incidents: [Incident]
    public let alerts: [Alert]
    /// Meeting id to topic, for the pages' labels (the API's rows carry meeting ids).
    public let topics: [String: String]

    enum CodingKeys: String, CodingKey { case generatedAt, period, participants, drops, incidents, alerts }

    public static func make(_ snapshot: ProjectionSnapshot, privacy: ExportPrivacy, now: Date, windowSeconds: Int,
                            query: DashboardQuery = DashboardQuery()) -> StabilityReport {
        func wanted(_ meetingID: String, _ at: BSONDate) -> Bool {
            (query.meetingID == nil || meetingID == query.meetingID) && query.contains(at.date)
        }
        let drops = snapshot.disconnections.filter { wanted($0.meetingID, $0.at) }.compactMap { drop -> Drop? in
            privacy.displayName(drop.name).map {
                Drop(name: $0, meetingID: drop.meetingID, at: drop.at.date, reason: drop.reason,
                     returnedAt: drop.returnedAt?.date, bounced: drop.bounced)
            }
        }.sorted { ($0.at, $0.name) < ($1.at, $1.name) }
        let participants = Dictionary(grouping: drops, by: \.name).map { name, drops in
            Participant(name: name, disconnections: drops.count, bounced: drops.count(where: \.bounced),
                        longestAwaySeconds: drops.compactMap { drop in drop.returnedAt.map { Int($0.timeIntervalSince(drop.at)) } }.max(),
                        lastDisconnection: drops.map(\.at).max()!, meetings: Set(drops.map(\.meetingID)).sorted())
        }.sorted { ($0.disconnections, $0.lastDisconnection, $1.name) > ($1.disconnections, $1.lastDisconnection, $0.name) }
        // Platform-wide is judged on every incident, not only the filtered ones.
        let platformWide = snapshot.platformWideIncidentIDs(windowSeconds: windowSeconds)
        let incidents = snapshot.incidents.filter { wanted($0.meetingID, $0.startedAt) }.map { incident in
            Incident(id: incident.id, meetingID: incident.meetingID, topic: incident.topic, startedAt: incident.startedAt.date,
                     endedAt: incident.endedAt.date, participantCount: incident.participantCount,
                     participants: incident.participants.compactMap(privacy.displayName),
                     platformWide: platformWide.contains(incident.id))
        }.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
        let alerts = snapshot.alerts.filter { wanted($0.meetingID, $0.at) }.map {
            Alert(meetingID: $0.meetingID, topic: $0.topic, at: $0.at.date, issues: $0.issues)
        }.sorted { ($0.at, $0.meetingID) > ($1.at, $1.meetingID) }
        return StabilityReport(generatedAt: now, period: period(drops, incidents, snapshot.meetings, now: now, query: query),
                               participants: participants, drops: drops, incidents: incidents, alerts: alerts, topics: snapshot.topics)
    }

    static func period(_ drops: [Drop], _ incidents: [Incident], _ meetings: [MeetingSummary], now: Date,
                       query: DashboardQuery) -> Period? {
        let lanes = Set(drops.map(\.meetingID) + incidents.map(\.meetingID))
        let spans = meetings.filter { $0.meetingID.map(lanes.contains) ?? false }.compactMap { meeting in
            meeting.startedAt.map { ($0.date, meeting.endedAt?.date ?? now) }
        }
        let instants = drops.map(\.at) + incidents.flatMap { [$0.startedAt, $0.endedAt] }
        guard var from = (instants + spans.map(\.0)).min(), var until = (instants + spans.map(\.1)).max() else { return nil }
        from = max(from, query.since ?? from)
        until = min(until, query.until ?? until)
        // At least ten minutes, so a single drop is not alone in the middle of nothing.
        let missing = max(0, 600 - until.timeIntervalSince(from))
        return Period(from: from.addingTimeInterval(-missing / 2), until: until.addingTimeInterval(missing / 2))
    }
}
