/// Who and where, the same way for every source (webhook, backfill, Zoom's Report API) and every
/// process (projections, dashboard, notifier): docs/projections.md#identity.
public enum Identity {
    /// One connection of a participant: `participant_uuid`, else `user_id`, else `user_name`.
    /// Zoom blanks guests' ids, so empty strings do not count. A room move keeps the
    /// `participant_uuid` (its `user_id` changes); a reconnect gets a new one.
    public static func attendee(participantUUID: String?, userID: String?, userName: String?) -> String? {
        [participantUUID, userID, userName].lazy.compactMap { $0 }.first { !$0.isEmpty }
    }

    /// A person in a meeting (room): the meeting id and the normalised name. A reconnect comes back
    /// under a new participant record but the same name, so this is what joins a person's stays.
    public static func person(meetingID: String, name: String) -> String {
        meetingID + "|" + normalizedName(name)
    }

    /// Lowercased, whitespace runs collapsed, trimmed.
    public static func normalizedName(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// One occurrence of a meeting: its UUID, else (no UUID given) its id.
    public static func instance(meetingID: String, uuid: String?) -> String {
        uuid.flatMap { $0.isEmpty ? nil : $0 } ?? meetingID
    }
}

extension ZoomEvent.Meeting {
    /// This occurrence's key (`Identity.instance`).
    public var instance: String { Identity.instance(meetingID: id, uuid: uuid) }
}

extension ZoomEvent.Participant {
    /// This connection's key (`Identity.attendee`).
    public var attendee: String? { Identity.attendee(participantUUID: participantUUID, userID: userID, userName: name) }

    /// The name to show; Zoom may send an empty one (dial-in, some guests).
    public var displayName: String { (name?.isEmpty == false ? name : nil) ?? "Someone" }
}
