import Foundation

public enum ZoomEventError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAnEvent(String)

    public var description: String {
        switch self {
        case .notAnEvent(let why): "not a Zoom event: \(why)"
        }
    }
}

extension ZoomEvent {
    /// Reads a raw body; fails only for a body that is not an event at all (not a JSON object with
    /// a non-empty string `event`).
    public static func decode(_ body: some DataProtocol) throws(ZoomEventError) -> ZoomEvent {
        let event: ZoomEvent
        do {
            event = try JSONDecoder().decode(ZoomEvent.self, from: Data(body))
        } catch {
            throw .notAnEvent("no JSON object with an \"event\" name")
        }
        guard !event.name.isEmpty else { throw .notAnEvent("empty \"event\"") }
        return event
    }

    /// The body in Zoom's shape, keys sorted, absent fields left out (as Zoom leaves them out):
    /// the same event always gives the same bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

extension ZoomEvent: Codable {
    public init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: Field.self)
        name = try top.decode(String.self, forKey: Field("event"))
        eventTS = top.lenientInteger("event_ts").map(Int64.init)
        let payload = try? top.nestedContainer(keyedBy: Field.self, forKey: Field("payload"))
        accountID = payload?.lenientString("account_id")
        plainToken = payload?.lenientString("plainToken")
        let object = try? payload?.nestedContainer(keyedBy: Field.self, forKey: Field("object"))
        meeting = object.map(Meeting.init(object:)) ?? Meeting()
        participant = (try? object?.nestedContainer(keyedBy: Field.self, forKey: Field("participant"))).map(Participant.init(object:))
        // Zoom documents the alert's issues loosely: a list of strings, or one string.
        issues = (try? object?.decodeIfPresent([String].self, forKey: Field("issues")))
            ?? object?.lenientString("issues").map { [$0] } ?? []
        incident = (try? object?.nestedContainer(keyedBy: Field.self, forKey: Field("incident"))).map(Incident.init(object:))
        repair = (try? object?.nestedContainer(keyedBy: Field.self, forKey: Field("repair"))).map { repair in
            Repair(sessionsFilled: repair.lenientInteger("sessions_filled") ?? 0, factsFilled: repair.lenientInteger("facts_filled") ?? 0,
                   conflicts: repair.lenientInteger("conflicts") ?? 0, source: repair.lenientString("source") ?? "")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var top = encoder.container(keyedBy: Field.self)
        try top.encode(name, forKey: Field("event"))
        try top.encodeIfPresent(eventTS, forKey: Field("event_ts"))
        var payload = top.nestedContainer(keyedBy: Field.self, forKey: Field("payload"))
        try payload.encodeIfPresent(accountID, forKey: Field("account_id"))
        try payload.encodeIfPresent(plainToken, forKey: Field("plainToken"))
        guard plainToken == nil else { return }
        var object = payload.nestedContainer(keyedBy: Field.self, forKey: Field("object"))
        try meeting.encode(into: &object)
        if let participant {
            var nested = object.nestedContainer(keyedBy: Field.self, forKey: Field("participant"))
            try participant.encode(into: &nested)
        }
        if !issues.isEmpty { try object.encode(issues, forKey: Field("issues")) }
        if let incident {
            var nested = object.nestedContainer(keyedBy: Field.self, forKey: Field("incident"))
            try incident.encode(into: &nested)
        }
        if let repair {
            var nested = object.nestedContainer(keyedBy: Field.self, forKey: Field("repair"))
            try nested.encode(repair.sessionsFilled, forKey: Field("sessions_filled"))
            try nested.encode(repair.factsFilled, forKey: Field("facts_filled"))
            try nested.encode(repair.conflicts, forKey: Field("conflicts"))
            try nested.encode(repair.source, forKey: Field("source"))
        }
    }
}

extension ZoomEvent.Meeting {
    init(object: KeyedDecodingContainer<Field>) {
        self.init(id: object.lenientString("id") ?? "", uuid: object.lenientString("uuid"), hostID: object.lenientString("host_id"),
                  topic: object.lenientString("topic"), type: object.lenientInteger("type"),
                  startTime: object.lenientDate("start_time"), endTime: object.lenientDate("end_time"),
                  timezone: object.lenientString("timezone"), duration: object.lenientInteger("duration"),
                  joinURL: object.lenientString("join_url"), breakoutRoomUUID: object.lenientString("breakout_room_uuid"))
    }

    func encode(into object: inout KeyedEncodingContainer<Field>) throws {
        try object.encode(id, forKey: Field("id"))
        try object.encodeIfPresent(uuid, forKey: Field("uuid"))
        try object.encodeIfPresent(hostID, forKey: Field("host_id"))
        try object.encodeIfPresent(topic, forKey: Field("topic"))
        try object.encodeIfPresent(type, forKey: Field("type"))
        try object.encodeIfPresent(startTime.map(ZoomTime.format), forKey: Field("start_time"))
        try object.encodeIfPresent(endTime.map(ZoomTime.format), forKey: Field("end_time"))
        try object.encodeIfPresent(timezone, forKey: Field("timezone"))
        try object.encodeIfPresent(duration, forKey: Field("duration"))
        try object.encodeIfPresent(joinURL, forKey: Field("join_url"))
        try object.encodeIfPresent(breakoutRoomUUID, forKey: Field("breakout_room_uuid"))
    }
}

extension ZoomEvent.Participant {
    /// The string fields, by wire name.
    private static let strings: [(String, any WritableKeyPath<Self, String?> & Sendable)] = [
        ("user_name", \.name), ("email", \.email), ("user_id", \.userID), ("id", \.id),
        ("participant_uuid", \.participantUUID), ("participant_user_id", \.participantUserID),
        ("registrant_id", \.registrantID), ("customer_key", \.customerKey), ("phone_number", \.phoneNumber),
        ("parent_user_id", \.parentUserID), ("leave_reason", \.leaveReason), ("device", \.device),
        ("network_type", \.networkType), ("connection_type", \.connectionType), ("data_center", \.dataCenter),
        ("audio_quality", \.audioQuality), ("video_quality", \.videoQuality),
        ("screen_share_quality", \.screenShareQuality), ("role", \.role), ("status", \.status),
    ]
    private static let dates: [(String, any WritableKeyPath<Self, Date?> & Sendable)] = [
        ("join_time", \.joinTime), ("leave_time", \.leaveTime), ("date_time", \.dateTime),
    ]

    init(object: KeyedDecodingContainer<Field>) {
        self.init()
        for (key, path) in Self.strings { self[keyPath: path] = object.lenientString(key) }
        for (key, path) in Self.dates { self[keyPath: path] = object.lenientDate(key) }
        // The Report API's names for the same fields.
        name = name ?? object.lenientString("name")
        email = email ?? object.lenientString("user_email")
        let sharing = try? object.nestedContainer(keyedBy: Field.self, forKey: Field("sharing_details"))
        dateTime = dateTime ?? sharing?.lenientDate("date_time")
        sharingContent = sharing?.lenientString("content")
    }

    func encode(into object: inout KeyedEncodingContainer<Field>) throws {
        for (key, path) in Self.strings { try object.encodeIfPresent(self[keyPath: path], forKey: Field(key)) }
        for (key, path) in Self.dates { try object.encodeIfPresent(self[keyPath: path].map(ZoomTime.format), forKey: Field(key)) }
        if let sharingContent {
            var sharing = object.nestedContainer(keyedBy: Field.self, forKey: Field("sharing_details"))
            try sharing.encode(sharingContent, forKey: Field("content"))
        }
    }
}

/// A meeting by itself: a webhook's `payload.object`, or a meeting of Zoom's REST API (the
/// Dashboard list `/metrics/meetings`, the meeting report `/report/meetings/{id}`, the instances
/// `/past_meetings/{id}/instances`), read by the same lenient rules (`id` as a number or a string;
/// the Dashboard's `duration` is "HH:MM:SS" and reads as absent).
extension ZoomEvent.Meeting: Decodable {
    public init(from decoder: any Decoder) throws {
        self.init(object: try decoder.container(keyedBy: Field.self))
    }
}

/// A participant record by itself: a webhook's `participant`, or a row of Zoom's Dashboard or
/// Report API (`/metrics/meetings/{id}/participants`, `/report/meetings/{id}/participants`), read
/// by the same lenient rules.
extension ZoomEvent.Participant: Decodable {
    public init(from decoder: any Decoder) throws {
        self.init(object: try decoder.container(keyedBy: Field.self))
    }
}

extension ZoomEvent.Incident {
    init(object: KeyedDecodingContainer<Field>) {
        // The projection worker lists names; a richer producer may list participant objects.
        let people: [ZoomEvent.Participant]
        if var list = try? object.nestedUnkeyedContainer(forKey: Field("participants")) {
            var found: [ZoomEvent.Participant] = []
            while !list.isAtEnd {
                if let name = try? list.decode(String.self) {
                    found.append(ZoomEvent.Participant(name: name))
                } else if let nested = try? list.nestedContainer(keyedBy: Field.self) {
                    found.append(ZoomEvent.Participant(object: nested))
                } else if (try? list.decode(Skip.self)) == nil {
                    break
                }
            }
            people = found
        } else {
            people = []
        }
        self.init(id: object.lenientString("id"), startedAt: object.lenientDate("started_at"), endedAt: object.lenientDate("ended_at"),
                  participants: people,
                  count: object.lenientInteger("participant_count") ?? object.lenientInteger("count"),
                  reason: object.lenientString("reason"))
    }

    func encode(into object: inout KeyedEncodingContainer<Field>) throws {
        try object.encodeIfPresent(id, forKey: Field("id"))
        try object.encodeIfPresent(startedAt.map(ZoomTime.format), forKey: Field("started_at"))
        try object.encodeIfPresent(endedAt.map(ZoomTime.format), forKey: Field("ended_at"))
        try object.encodeIfPresent(count, forKey: Field("participant_count"))
        try object.encode(participants.map { $0.name ?? "" }, forKey: Field("participants"))
        try object.encodeIfPresent(reason, forKey: Field("reason"))
    }
}

/// Any JSON value, read and thrown away.
private struct Skip: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// A JSON object key by name.
struct Field: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == Field {
    /// A string, or a number written as one (Zoom sends meeting ids both ways); nil when absent,
    /// null or another type.
    func lenientString(_ name: String) -> String? {
        let key = Field(name)
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        return nil
    }

    func lenientInteger(_ name: String) -> Int? {
        let key = Field(name)
        if let number = try? decodeIfPresent(Int.self, forKey: key) { return number }
        if let number = try? decodeIfPresent(Double.self, forKey: key), number.isFinite, abs(number) < 1e15 { return Int(number) }
        return (try? decodeIfPresent(String.self, forKey: key)).flatMap { Int($0) }
    }

    func lenientDate(_ name: String) -> Date? {
        ZoomTime.parse(lenientString(name))
    }
}
