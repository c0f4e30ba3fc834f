import CurlHTTP
import Synchronization
import ZoomModel

/// The account's past meetings and their participants: the Dashboard API (Business plans and
/// higher), with the Report API where the plan has none. Once the Dashboard answered that the plan
/// lacks it, participant lists go straight to the Report API (no Heavy request wasted per meeting).
public struct MeetingHistory: Sendable {
    public let client: ZoomAPIClient
    /// Page size of every list (Zoom allows up to 300).
    public let pageSize: Int
    private let dashboardRefused = Latch()

    public init(client: ZoomAPIClient, pageSize: Int = 300) {
        self.client = client
        self.pageSize = pageSize
    }

    /// Past meetings between two dates (`yyyy-MM-dd`, inclusive; Zoom takes at most a month, of the
    /// last six months). Resource-intensive.
    public func pastMeetings(from: String, to: String) async throws(ZoomAPIError) -> [ZoomEvent.Meeting] {
        try await client.allPages("/metrics/meetings", query: [("type", "past"), ("from", from), ("to", to),
                                                               ("page_size", String(pageSize))],
                                  rateClass: .resourceIntensive, as: MeetingsPage.self)
    }

    /// Every ended instance of a meeting (a recurring meeting has one per occurrence): `uuid` and
    /// `start_time`. Medium. The report by numeric id would give only the last one.
    public func instances(meetingID: String) async throws(ZoomAPIError) -> [ZoomEvent.Meeting] {
        let page: MeetingsPage = try await client.get("/past_meetings/\(Self.pathComponent(meetingID))/instances", rateClass: .medium)
        return page.meetings.map { instance in
            var instance = instance
            if instance.id.isEmpty { instance.id = meetingID }
            return instance
        }
    }

    /// One instance from the meeting report (topic, host, start and end). Heavy.
    public func reportedMeeting(uuid: String) async throws(ZoomAPIError) -> ZoomEvent.Meeting {
        try await client.get("/report/meetings/\(Self.pathComponent(uuid))", rateClass: .heavy)
    }

    /// Every participant session of a past meeting instance (see `participantRecords`).
    public func participants(meetingUUID: String) async throws(ZoomAPIError) -> [ZoomEvent.Participant] {
        try await participantRecords(meetingUUID: meetingUUID).participants
    }

    /// Every participant session of a past meeting instance, and which API gave them: the
    /// Dashboard (`type=past`), else — only when Zoom said the plan lacks it, or with
    /// `source: .report` — the Report API. Heavy, a request per page.
    public func participantRecords(meetingUUID: String, source: ParticipantSource = .dashboard)
        async throws(ZoomAPIError) -> ParticipantRecords {
        let path = Self.pathComponent(meetingUUID)
        if source == .dashboard, !dashboardRefused.isSet {
            do throws(ZoomAPIError) {
                return ParticipantRecords(source: .dashboard, participants: try await client.allPages(
                    "/metrics/meetings/\(path)/participants", query: [("type", "past"), ("page_size", String(pageSize))],
                    rateClass: .heavy, as: ParticipantsPage.self))
            } catch {
                guard case .planLacksFeature = error else { throw error }
                dashboardRefused.set()
            }
        }
        return ParticipantRecords(source: .report, participants: try await client.allPages(
            "/report/meetings/\(path)/participants", query: [("page_size", String(pageSize))], rateClass: .heavy,
            as: ParticipantsPage.self))
    }

    /// Zoom wants a UUID that starts with `/` or contains `//` encoded twice, any other once.
    public static func pathComponent(_ uuid: String) -> String {
        let once = FormEncoding.component(uuid)
        return uuid.hasPrefix("/") || uuid.contains("//") ? FormEncoding.component(once) : once
    }
}

/// A flag that, once set, stays set.
private final class Latch: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
