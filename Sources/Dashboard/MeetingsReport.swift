import Foundation
import Projections

/// Every meeting instance: when, how long, the peak, and how it went.
public struct MeetingsReport: Encodable, Sendable, Equatable {
    public struct Meeting: Encodable, Sendable, Equatable {
        public let instance: String
        public let meetingID: String?
        public let topic: String?
        public let startedAt: Date?
        public let endedAt: Date?
        public let durationSeconds: Int?
        /// Started and not ended.
        public let live: Bool
        public let peakParticipants: Int?
        public let inRoomNow: Int?
        public let disconnections: Int
        public let incidents: Int
        /// Set once the instance was reconciled with Zoom's record (docs/reconciliation.md).
        public let dataQuality: DataQuality?
    }

    /// `CollectionQuality`, dates as the rest of the API writes them.
    public struct DataQuality: Encodable, Sendable, Equatable {
        public let sessionsSeen, sessionsFilled, factsFilled, conflicts: Int
        public let source: String
        public let reconciledAt: Date

        init(_ quality: CollectionQuality) {
            (sessionsSeen, sessionsFilled, factsFilled, conflicts) = (quality.sessionsSeen, quality.sessionsFilled, quality.factsFilled, quality.conflicts)
            (source, reconciledAt) = (quality.source, quality.reconciledAt.date)
        }
    }

    public let generatedAt: Date
    public let meetings: [Meeting]

    public static func make(_ snapshot: ProjectionSnapshot, privacy: ExportPrivacy, now: Date,
                            query: DashboardQuery = DashboardQuery()) -> MeetingsReport {
        let presence = Dictionary(grouping: snapshot.presence, by: \.meetingID)
        let drops = Dictionary(grouping: snapshot.disconnections, by: \.meetingID)
        let incidents = Dictionary(grouping: snapshot.incidents, by: \.meetingID)
        let meetings = snapshot.meetings.filter { meeting in
            (query.meetingID == nil || meeting.meetingID == query.meetingID)
                && query.overlaps(meeting.startedAt?.date, meeting.endedAt?.date)
        }.map { meeting in
            let id = meeting.meetingID ?? ""
            let live = meeting.startedAt != nil && meeting.endedAt == nil
            // Presence, drops and incidents are per meeting id; an instance counts those of its own time.
            func during(_ at: BSONDate) -> Bool { meeting.startedAt.map { at >= $0 } ?? true && meeting.endedAt.map { at <= $0 } ?? true }
            let inRoom = Set((presence[id] ?? []).filter(\.inRoom).compactMap { privacy.displayName($0.name) })
            return Meeting(instance: meeting.id, meetingID: meeting.meetingID, topic: meeting.topic,
                           startedAt: meeting.startedAt?.date, endedAt: meeting.endedAt?.date,
                           durationSeconds: meeting.durationSeconds, live: live, peakParticipants: meeting.peakParticipants,
                           inRoomNow: live ? inRoom.count : nil,
                           disconnections: (drops[id] ?? []).count { during($0.at) },
                           incidents: (incidents[id] ?? []).count { during($0.startedAt) },
                           dataQuality: meeting.quality.map(DataQuality.init))
        }
        return MeetingsReport(generatedAt: now, meetings: meetings.sorted {
            ($0.startedAt ?? .distantPast, $0.instance) > ($1.startedAt ?? .distantPast, $1.instance)
        })
    }
}

/// One meeting (room) on one page: who is there, its instances, and its stability.
public struct MeetingReport: Encodable, Sendable, Equatable {
    public let meetingID: String
    public let topic: String?
    public let room: RoomReport.Room?
    public let instances: [MeetingsReport.Meeting]
    public let stability: StabilityReport

    public static func make(_ snapshot: ProjectionSnapshot, meetingID: String, privacy: ExportPrivacy, now: Date,
                            windowSeconds: Int, query: DashboardQuery = DashboardQuery()) throws(DashboardError) -> MeetingReport {
        guard snapshot.knows(meetingID: meetingID) else { throw .notFound("no meeting \(meetingID)") }
        var query = query
        query.meetingID = meetingID
        let stability = StabilityReport.make(snapshot, privacy: privacy, now: now, windowSeconds: windowSeconds, query: query)
        return MeetingReport(meetingID: meetingID, topic: stability.topics[meetingID],
                             room: RoomReport.make(snapshot, privacy: privacy, now: now, query: query).rooms.first,
                             instances: MeetingsReport.make(snapshot, privacy: privacy, now: now, query: query).meetings,
                             stability: stability)
    }
}
