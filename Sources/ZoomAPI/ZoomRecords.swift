/// A page of one of Zoom's lists.
public protocol ZoomPage: Decodable, Sendable {
    associatedtype Item: Decodable, Sendable
    var items: [Item] { get }
    var nextPageToken: String? { get }
}

/// A past meeting instance as the Dashboard API (`/metrics/meetings`) or the meeting report
/// (`/report/meetings/{id}`) describes it. Zoom sends `id` as a number or a string.
public struct PastMeeting: Decodable, Sendable, Equatable {
    public let uuid: String
    public let id: String
    public let topic: String?
    /// The report has it; the Dashboard list has only the host's name and email.
    public let hostID: String?
    public let startTime: String?
    public let endTime: String?

    public init(uuid: String, id: String, topic: String?, hostID: String?, startTime: String?, endTime: String?) {
        self.uuid = uuid
        self.id = id
        self.topic = topic
        self.hostID = hostID
        self.startTime = startTime
        self.endTime = endTime
    }

    enum CodingKeys: String, CodingKey {
        case uuid, id, topic, hostID = "host_id", startTime = "start_time", endTime = "end_time"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uuid = try container.decode(String.self, forKey: .uuid)
        id = try container.lenientString(.id) ?? ""
        topic = try container.decodeIfPresent(String.self, forKey: .topic)
        hostID = try container.lenientString(.hostID)
        startTime = try container.decodeIfPresent(String.self, forKey: .startTime)
        endTime = try container.decodeIfPresent(String.self, forKey: .endTime)
    }
}

/// One participant session (a join and, once over, its leave): Dashboard API fields, or the
/// Report API's (`name`, `user_email`) under the same names.
public struct ParticipantRecord: Decodable, Sendable, Equatable {
    public var id: String?
    public var userID: String?
    public var participantUUID: String?
    public var userName: String?
    public var email: String?
    public var joinTime: String?
    public var leaveTime: String?
    public var leaveReason: String?
    public var device: String?
    public var networkType: String?
    public var connectionType: String?
    public var dataCenter: String?
    public var audioQuality: String?
    public var videoQuality: String?
    public var screenShareQuality: String?
    public var role: String?
    /// Dashboard API: `in_meeting` or `in_waiting_room` (not attendance).
    public var status: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case id, device, email, name, role, status
        case userID = "user_id", participantUUID = "participant_uuid", userName = "user_name", userEmail = "user_email"
        case joinTime = "join_time", leaveTime = "leave_time", leaveReason = "leave_reason"
        case networkType = "network_type", connectionType = "connection_type", dataCenter = "data_center"
        case audioQuality = "audio_quality", videoQuality = "video_quality", screenShareQuality = "screen_share_quality"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.lenientString(.id)
        userID = try c.lenientString(.userID)
        participantUUID = try c.lenientString(.participantUUID)
        userName = try c.lenientString(.userName) ?? c.lenientString(.name)
        email = try c.lenientString(.email) ?? c.lenientString(.userEmail)
        joinTime = try c.lenientString(.joinTime)
        leaveTime = try c.lenientString(.leaveTime)
        leaveReason = try c.lenientString(.leaveReason)
        device = try c.lenientString(.device)
        networkType = try c.lenientString(.networkType)
        connectionType = try c.lenientString(.connectionType)
        dataCenter = try c.lenientString(.dataCenter)
        audioQuality = try c.lenientString(.audioQuality)
        videoQuality = try c.lenientString(.videoQuality)
        screenShareQuality = try c.lenientString(.screenShareQuality)
        role = try c.lenientString(.role)
        status = try c.lenientString(.status)
    }
}

public struct MeetingsPage: ZoomPage {
    public let meetings: [PastMeeting]
    public let next_page_token: String?
    public var items: [PastMeeting] { meetings }
    public var nextPageToken: String? { next_page_token }
}

public struct ParticipantsPage: ZoomPage {
    public let participants: [ParticipantRecord]
    public let next_page_token: String?
    public var items: [ParticipantRecord] { participants }
    public var nextPageToken: String? { next_page_token }
}

extension KeyedDecodingContainer {
    /// A string Zoom sometimes sends as a number; nil when absent or null.
    func lenientString(_ key: Key) throws -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        return nil
    }
}
