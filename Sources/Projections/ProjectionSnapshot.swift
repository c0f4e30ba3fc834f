/// A meeting instance: lifecycle, host and topic, and its peak.
public struct MeetingSummary: Codable, Sendable, Equatable {
    public let id: String
    public let meetingID: String?
    public let topic: String?
    public let hostID: String?
    public let startedAt: BSONDate?
    public let endedAt: BSONDate?
    public let peakParticipants: Int?
    /// Set once reconciliation against Zoom's record ran for the instance.
    public let quality: CollectionQuality?

    public init(id: String, meetingID: String?, topic: String?, hostID: String?, startedAt: BSONDate?, endedAt: BSONDate?,
                peakParticipants: Int?, quality: CollectionQuality? = nil) {
        self.id = id
        self.meetingID = meetingID
        self.topic = topic
        self.hostID = hostID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.peakParticipants = peakParticipants
        self.quality = quality
    }

    public var durationSeconds: Int? {
        guard let startedAt, let endedAt else { return nil }
        return Int((endedAt.milliseconds - startedAt.milliseconds) / 1000)
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", topic, hostID = "host_id", startedAt = "started_at"
        case endedAt = "ended_at", peakParticipants = "peak_participants", quality = "collection_quality"
    }
}

/// Everything the exports and the dashboard show, read in one go.
public struct ProjectionSnapshot: Sendable, Equatable {
    public var presence: [ParticipantPresence]
    public var disconnections: [NetworkDisconnection]
    public var incidents: [CollectiveIncident]
    public var meetings: [MeetingSummary]
    public var alerts: [QualityAlert]

    /// `disconnections` default to those inside the presence documents.
    public init(presence: [ParticipantPresence] = [], disconnections: [NetworkDisconnection]? = nil,
                incidents: [CollectiveIncident] = [], meetings: [MeetingSummary] = [], alerts: [QualityAlert] = []) {
        self.presence = presence
        self.disconnections = disconnections ?? presence.flatMap(\.disconnections).sorted { $0.id < $1.id }
        self.incidents = incidents
        self.meetings = meetings
        self.alerts = alerts
    }

    /// Incidents that overlap (within `windowSeconds`) an incident of another meeting: the platform
    /// or the institution's network, not one class, is the likely cause.
    public func platformWideIncidentIDs(windowSeconds: Int) -> Set<String> {
        let slack = Int64(windowSeconds) * 1000
        var ids = Set<String>()
        let ordered = incidents.sorted { $0.startedAt < $1.startedAt }
        for (index, incident) in ordered.enumerated() {
            for other in ordered[(index + 1)...] {
                guard other.startedAt.milliseconds <= incident.endedAt.milliseconds + slack else { break }
                if other.meetingID != incident.meetingID {
                    ids.insert(incident.id)
                    ids.insert(other.id)
                }
            }
        }
        return ids
    }
}
