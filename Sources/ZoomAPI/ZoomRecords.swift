import ZoomModel
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

public struct MeetingsPage: ZoomPage {
    public let meetings: [PastMeeting]
    public let next_page_token: String?
    public var items: [PastMeeting] { meetings }
    public var nextPageToken: String? { next_page_token }
}

/// One participant session (a join and, once over, its leave), from the Dashboard API or the
/// Report API, read by the one Zoom event model.
public struct ParticipantsPage: ZoomPage {
    public let participants: [ZoomEvent.Participant]
    public let next_page_token: String?
    public var items: [ZoomEvent.Participant] { participants }
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
