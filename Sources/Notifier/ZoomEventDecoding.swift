import Foundation

extension ZoomEvent {
    /// Reads the fields a notice needs; fails only for a body that is not an event at all.
    public static func decode(_ body: [UInt8]) throws(NoticeError) -> ZoomEvent {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch {
            throw .notAnEvent("no JSON object with an \"event\" name")
        }
        guard !wire.event.isEmpty else { throw .notAnEvent("empty \"event\"") }
        let object = wire.payload?.object
        return ZoomEvent(
            name: wire.event,
            timestamp: wire.eventTS.map { Date(timeIntervalSince1970: Double($0) / 1000) },
            meeting: Meeting(id: object?.id ?? "", uuid: object?.uuid, topic: object?.topic, hostID: object?.hostID,
                             startTime: object?.startTime, endTime: object?.endTime,
                             scheduledMinutes: object?.duration, joinURL: object?.joinURL),
            participant: object?.participant?.participant,
            issues: object?.issues ?? [],
            incident: object?.incident.map {
                Incident(startedAt: $0.startedAt, endedAt: $0.endedAt, participants: $0.participants?.map(\.participant) ?? [],
                         count: $0.count, reason: $0.reason)
            })
    }

    private struct Wire: Decodable {
        let event: String
        let eventTS: Int64?
        let payload: Payload?

        enum CodingKeys: String, CodingKey { case event, eventTS = "event_ts", payload }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            event = try container.decode(String.self, forKey: .event)
            eventTS = container.lenientInteger(.eventTS).map(Int64.init)
            payload = try? container.decodeIfPresent(Payload.self, forKey: .payload)
        }
    }

    private struct Payload: Decodable {
        let object: Object?

        init(from decoder: any Decoder) throws {
            object = try? decoder.container(keyedBy: FieldKey.self).decodeIfPresent(Object.self, forKey: FieldKey("object"))
        }
    }

    private struct Object: Decodable {
        let id, uuid, topic, hostID, joinURL: String?
        let startTime, endTime: Date?
        let duration: Int?
        let participant: WireParticipant?
        let issues: [String]?
        let incident: WireIncident?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: FieldKey.self)
            id = container.lenientString("id")
            uuid = container.lenientString("uuid")
            topic = container.lenientString("topic")
            hostID = container.lenientString("host_id")
            joinURL = container.lenientString("join_url")
            startTime = container.lenientDate("start_time")
            endTime = container.lenientDate("end_time")
            duration = container.lenientInteger(FieldKey("duration"))
            participant = try? container.decodeIfPresent(WireParticipant.self, forKey: FieldKey("participant"))
            // Zoom documents the alert's issues loosely: a list of strings, or one string.
            issues = (try? container.decodeIfPresent([String].self, forKey: FieldKey("issues")))
                ?? container.lenientString("issues").map { [$0] }
            incident = try? container.decodeIfPresent(WireIncident.self, forKey: FieldKey("incident"))
        }
    }

    private struct WireParticipant: Decodable {
        let participant: Participant

        init(participant: Participant) {
            self.participant = participant
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: FieldKey.self)
            let sharing = try? container.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("sharing_details"))
            participant = Participant(
                name: container.lenientString("user_name"),
                email: container.lenientString("email"),
                userID: container.lenientString("user_id"),
                participantUUID: container.lenientString("participant_uuid"),
                joinTime: container.lenientDate("join_time"),
                leaveTime: container.lenientDate("leave_time"),
                dateTime: container.lenientDate("date_time") ?? sharing?.lenientDate("date_time"),
                leaveReason: container.lenientString("leave_reason"),
                sharingContent: sharing?.lenientString("content"))
        }
    }

    private struct WireIncident: Decodable {
        let startedAt, endedAt: Date?
        let participants: [WireParticipant]?
        let count: Int?
        let reason: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: FieldKey.self)
            startedAt = container.lenientDate("started_at")
            endedAt = container.lenientDate("ended_at")
            // The projection worker lists names; a richer producer may list participant objects.
            participants = (try? container.decodeIfPresent([WireParticipant].self, forKey: FieldKey("participants")))
                ?? (try? container.decodeIfPresent([String].self, forKey: FieldKey("participants")))?.map {
                    WireParticipant(participant: Participant(name: $0))
                }
            count = container.lenientInteger(FieldKey("participant_count")) ?? container.lenientInteger(FieldKey("count"))
            reason = container.lenientString("reason")
        }
    }
}

struct FieldKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// A string, or a number written as one (Zoom sends meeting ids both ways).
    func lenientString(_ name: String) -> String? where K == FieldKey {
        let key = FieldKey(name)
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        return nil
    }

    func lenientInteger(_ key: K) -> Int? {
        if let number = try? decodeIfPresent(Int.self, forKey: key) { return number }
        if let number = try? decodeIfPresent(Double.self, forKey: key), number.isFinite, abs(number) < 1e15 { return Int(number) }
        return (try? decodeIfPresent(String.self, forKey: key)).flatMap { Int($0) }
    }

    /// An ISO 8601 time, with or without fractional seconds.
    func lenientDate(_ name: String) -> Date? where K == FieldKey {
        guard let text = lenientString(name), !text.isEmpty else { return nil }
        return (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
