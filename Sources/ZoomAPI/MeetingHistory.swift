import ZoomModel
import OutboundHTTP

/// The account's past meetings and their participants: the Dashboard API, with the Report API
/// where the plan has no dashboard (Zoom then refuses the dashboard call with 400 or 403).
public struct MeetingHistory: Sendable {
    private let client: ZoomAPIClient
    /// Page size of every list (Zoom allows up to 300).
    public let pageSize: Int

    public init(client: ZoomAPIClient, pageSize: Int = 300) {
        self.client = client
        self.pageSize = pageSize
    }

    /// Past meetings between two dates (`yyyy-MM-dd`, inclusive; Zoom takes at most a month).
    public func pastMeetings(from: String, to: String) async throws(ZoomAPIError) -> [PastMeeting] {
        try await client.allPages("/metrics/meetings", query: [("type", "past"), ("from", from), ("to", to),
                                                               ("page_size", String(pageSize))], as: MeetingsPage.self)
    }

    /// One meeting's last instance from the meeting report (for `--meeting` without the dashboard).
    public func reportedMeeting(id: String) async throws(ZoomAPIError) -> PastMeeting {
        try await client.get("/report/meetings/\(Self.pathComponent(id))")
    }

    /// Every participant session of a past meeting instance.
    public func participants(meetingUUID: String) async throws(ZoomAPIError) -> [ZoomEvent.Participant] {
        try await participantRecords(meetingUUID: meetingUUID).records
    }

    /// The same, and which API gave them: `dashboard`, or `report` where the plan has no dashboard.
    public func participantRecords(meetingUUID: String) async throws(ZoomAPIError) -> (records: [ZoomEvent.Participant], source: String) {
        let path = Self.pathComponent(meetingUUID)
        do throws(ZoomAPIError) {
            return (try await client.allPages("/metrics/meetings/\(path)/participants",
                                              query: [("type", "past"), ("page_size", String(pageSize))], as: ParticipantsPage.self), "dashboard")
        } catch {
            guard case .rejected(let status, _, _) = error, status == 400 || status == 403 else { throw error }
            return (try await client.allPages("/report/meetings/\(path)/participants",
                                              query: [("page_size", String(pageSize))], as: ParticipantsPage.self), "report")
        }
    }

    /// Zoom wants a UUID that starts with `/` or contains `//` encoded twice, any other once.
    public static func pathComponent(_ uuid: String) -> String {
        let once = FormEncoding.component(uuid)
        return uuid.hasPrefix("/") || uuid.contains("//") ? FormEncoding.component(once) : once
    }
}
