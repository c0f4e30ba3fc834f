import Foundation

/// The fields of a Zoom event (or of a Lookout incident) that a notice shows, read from the raw
/// body. Zoom's shapes vary by event and over time, so everything but the event name is optional
/// and a field of an unexpected type is ignored rather than failing the whole event.
public struct ZoomEvent: Sendable, Equatable {
    public var name: String
    /// `event_ts`: when Zoom says the event happened.
    public var timestamp: Date?
    public var meeting: Meeting
    public var participant: Participant?
    /// `meeting.alert`: the issues Zoom reports, as free text.
    public var issues: [String]
    /// `lookout.incident.*`: what the projection worker found.
    public var incident: Incident?

    public struct Meeting: Sendable, Equatable {
        public var id: String
        public var uuid: String?
        public var topic: String?
        public var hostID: String?
        public var startTime: Date?
        public var endTime: Date?
        public var scheduledMinutes: Int?
        public var joinURL: String?

        /// One meeting occurrence: the id with the uuid when Zoom gave one (a recurring meeting
        /// keeps its id; each occurrence has its own uuid).
        public var instanceKey: String { id + "|" + (uuid ?? "") }
    }

    public struct Participant: Sendable, Equatable {
        public var name: String?
        public var email: String?
        public var userID: String?
        public var participantUUID: String?
        public var joinTime: Date?
        public var leaveTime: Date?
        /// Waiting room, admission and sharing events carry `date_time` instead.
        public var dateTime: Date?
        public var leaveReason: String?
        public var sharingContent: String?

        /// Who this is across events: `participant_uuid`, else `user_id`, else the name (Zoom
        /// blanks ids for guests).
        public var key: String {
            [participantUUID, userID, name].lazy.compactMap { $0 }.first { !$0.isEmpty } ?? ""
        }

        /// The name to show; Zoom may send an empty one (dial-in, some guests).
        public var displayName: String { (name?.isEmpty == false ? name : nil) ?? "Someone" }
    }

    public struct Incident: Sendable, Equatable {
        public var startedAt: Date?
        public var endedAt: Date?
        public var participants: [Participant]
        public var count: Int?
        public var reason: String?

        /// How many participants it concerns: the count given, else the names listed.
        public var size: Int { count ?? participants.count }
    }
}

public enum NoticeError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAnEvent(String)

    public var description: String {
        switch self {
        case .notAnEvent(let why): "not a Zoom event: \(why)"
        }
    }
}
