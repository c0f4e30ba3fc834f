import Foundation

/// The same data as the CSVs, as one JSON document for the web dashboard and other tools.
public enum ExportJSON {
    struct Document: Encodable {
        let generatedAt: String
        let presence: [Presence]
        let disconnections: [Disconnection]
        let incidents: [Incident]
        let meetings: [Meeting]
        let alerts: [Alert]

        enum CodingKeys: String, CodingKey {
            case generatedAt = "generated_at", presence, disconnections, incidents, meetings, alerts
        }
    }

    struct Presence: Encodable {
        let meetingID: String
        let name: String
        let inRoom: Bool
        let lastJoin: String?
        let lastLeft: String?
        let inRoomSince: String?
        let room: String?
        let sessionCount: Int
        let secondsInRoom: Int
        let moves: Int
        let reconnects: Int

        enum CodingKeys: String, CodingKey {
            case meetingID = "meeting_id", name, inRoom = "in_room", lastJoin = "last_join", lastLeft = "last_left"
            case inRoomSince = "in_room_since", room
            case sessionCount = "session_count", secondsInRoom = "seconds_in_room", moves, reconnects
        }
    }

    struct Disconnection: Encodable {
        let id, meetingID, name, at, reason, kind: String
        let returnedAt: String?
        let bounced: Bool

        enum CodingKeys: String, CodingKey {
            case id, meetingID = "meeting_id", name, at, reason, kind, returnedAt = "returned_at", bounced
        }
    }

    struct Meeting: Encodable {
        let instance: String
        let meetingID, topic, hostID, startedAt, endedAt: String?
        let durationSeconds, peakParticipants: Int?
        let collectionQuality: Quality?

        enum CodingKeys: String, CodingKey {
            case instance, meetingID = "meeting_id", topic, hostID = "host_id", startedAt = "started_at"
            case endedAt = "ended_at", durationSeconds = "duration_seconds", peakParticipants = "peak_participants"
            case collectionQuality = "collection_quality"
        }
    }

    /// `CollectionQuality` with its date in ISO 8601.
    struct Quality: Encodable {
        let sessionsSeen, sessionsFilled, factsFilled, conflicts: Int
        let source, reconciledAt: String

        init(_ quality: CollectionQuality) {
            (sessionsSeen, sessionsFilled, factsFilled, conflicts) = (quality.sessionsSeen, quality.sessionsFilled, quality.factsFilled, quality.conflicts)
            (source, reconciledAt) = (quality.source, CSV.iso(quality.reconciledAt))
        }

        enum CodingKeys: String, CodingKey {
            case sessionsSeen = "sessions_seen", sessionsFilled = "sessions_filled", factsFilled = "facts_filled"
            case conflicts, source, reconciledAt = "reconciled_at"
        }
    }

    struct Alert: Encodable {
        let meetingID, at: String
        let topic: String?
        let issues: [String]

        enum CodingKeys: String, CodingKey { case meetingID = "meeting_id", at, topic, issues }
    }

    struct Incident: Encodable {
        let id, meetingID, startedAt, endedAt: String
        let topic: String?
        let participants: [String]
        let platformWide: Bool

        enum CodingKeys: String, CodingKey {
            case id, meetingID = "meeting_id", topic, startedAt = "started_at", endedAt = "ended_at", participants
            case platformWide = "platform_wide"
        }
    }

    public static func render(_ snapshot: ProjectionSnapshot, privacy: ExportPrivacy, windowSeconds: Int, now: Date) throws -> Data {
        let platformWide = snapshot.platformWideIncidentIDs(windowSeconds: windowSeconds)
        let presence = snapshot.presence.compactMap { row -> Presence? in
            guard let name = privacy.displayName(row.name) else { return nil }
            return Presence(meetingID: row.meetingID, name: name, inRoom: row.inRoom, lastJoin: row.lastJoin.map { CSV.iso($0) },
                            lastLeft: row.lastLeft.map { CSV.iso($0) }, inRoomSince: row.inRoomSince.map { CSV.iso($0) },
                            room: row.inRoom ? (row.room == nil ? "main" : "breakout:\(row.room!)") : nil,
                            sessionCount: row.sessionCount, secondsInRoom: row.secondsInRoom(at: BSONDate(now)),
                            moves: row.moves, reconnects: row.reconnects)
        }
        let document = Document(
            generatedAt: CSV.iso(BSONDate(now)),
            presence: presence.sorted { ($0.meetingID, $0.name) < ($1.meetingID, $1.name) },
            disconnections: snapshot.disconnections.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.compactMap { drop in
                privacy.displayName(drop.name).map {
                    Disconnection(id: drop.id, meetingID: drop.meetingID, name: $0, at: CSV.iso(drop.at), reason: privacy.reason(drop.reason, of: drop.name),
                                  kind: drop.kind.rawValue, returnedAt: drop.returnedAt.map { CSV.iso($0) }, bounced: drop.bounced)
                }
            },
            incidents: snapshot.incidents.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }.map { incident in
                Incident(id: incident.id, meetingID: incident.meetingID, startedAt: CSV.iso(incident.startedAt),
                         endedAt: CSV.iso(incident.endedAt), topic: incident.topic,
                         participants: incident.participants.compactMap(privacy.displayName),
                         platformWide: platformWide.contains(incident.id))
            },
            meetings: snapshot.meetings.sorted { $0.id < $1.id }.map { meeting in
                Meeting(instance: meeting.id, meetingID: meeting.meetingID, topic: meeting.topic, hostID: meeting.hostID,
                        startedAt: meeting.startedAt.map { CSV.iso($0) }, endedAt: meeting.endedAt.map { CSV.iso($0) },
                        durationSeconds: meeting.durationSeconds, peakParticipants: meeting.peakParticipants,
                        collectionQuality: meeting.quality.map(Quality.init))
            },
            alerts: snapshot.alerts.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.map { alert in
                Alert(meetingID: alert.meetingID, at: CSV.iso(alert.at), topic: alert.topic, issues: alert.issues)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(document)
    }
}
