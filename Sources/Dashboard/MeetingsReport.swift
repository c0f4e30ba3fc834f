import Foundation
import Projections

/// The meeting instances of a period: when, how long, the peak, and how it went; searchable by
/// topic or meeting id, newest first, capped at `limit`.
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
    public let count: Int
    public let meetings: [Meeting]

    static func make(_ data: DashboardData, audience: Audience, period: Period, now: Date, query: DashboardQuery,
                     limit: Int = 100) -> MeetingsReport {
        let rows = rows(data, audience: audience, period: period, now: now, query: query)
        return MeetingsReport(generatedAt: now, count: rows.count, meetings: Array(rows.prefix(limit)))
    }

    static func rows(_ data: DashboardData, audience: Audience, period: Period, now: Date, query: DashboardQuery) -> [Meeting] {
        let nowMS = DashboardData.ms(now)
        return data.instances(in: period, now: now).reversed().compactMap { index -> Meeting? in
            let meeting = data.meetings[index]
            guard query.meetingID == nil || meeting.meetingID == query.meetingID,
                  query.matches(meeting.topic ?? meeting.meetingID.flatMap { data.topics[$0] }, meeting.meetingID) else { return nil }
            return row(data, index, now: nowMS)
        }
    }

    /// One instance: presence, drops and incidents are per meeting id; an instance counts those of its own time.
    static func row(_ data: DashboardData, _ index: Int, now: Int64) -> Meeting {
        let meeting = data.meetings[index]
        let id = meeting.meetingID ?? ""
        let live = meeting.startedAt != nil && meeting.endedAt == nil
            && Double(now - meeting.startedAt!.milliseconds) / 1000 < RoomReport.staleAfter
        let (start, end) = (data.instanceSpans[index].start ?? .min, data.instanceSpans[index].end ?? .max)
        let rows = data.rowsByMeeting[id] ?? []
        return Meeting(instance: meeting.id, meetingID: meeting.meetingID, topic: meeting.topic ?? data.topics[id],
                       startedAt: meeting.startedAt?.date, endedAt: meeting.endedAt?.date,
                       durationSeconds: meeting.durationSeconds, live: live, peakParticipants: meeting.peakParticipants,
                       inRoomNow: live ? rows.count { data.row($0).inRoom } : nil,
                       disconnections: (data.dropsByMeeting[id] ?? []).count { (start...end).contains(data.drops[$0].at) },
                       incidents: (data.incidentsByMeeting[id] ?? []).count { (start...end).contains(data.incidents[$0].startedAt.milliseconds) },
                       dataQuality: meeting.quality.map(DataQuality.init))
    }
}
