import Foundation
import LookoutCore
import ZoomModel

/// How one route wants its notices to look.
public struct NoticeStyle: Sendable {
    public var localTime: LocalTime
    /// Most names listed in a grouped notice ("… and 4 more").
    public var maxNames: Int
    /// Link for the meeting title when the event carries no join URL.
    public var joinURL: String?

    public init(localTime: LocalTime, maxNames: Int = 10, joinURL: String? = nil) {
        self.localTime = localTime
        self.maxNames = maxNames
        self.joinURL = joinURL
    }

    func title(_ meeting: ZoomEvent.Meeting) -> String {
        let topic = meeting.topic.flatMap { $0.isEmpty ? nil : $0 }
        return MattermostText.plain(topic ?? (meeting.id.isEmpty ? "Zoom meeting" : "Meeting \(Self.meetingID(meeting.id))"))
    }

    func titleLink(_ meeting: ZoomEvent.Meeting) -> String? {
        [meeting.joinURL, joinURL].lazy.compactMap { $0 }.first { $0.hasPrefix("https://") || $0.hasPrefix("http://") }
    }

    func meetingField(_ meeting: ZoomEvent.Meeting) -> [MessageAttachment.Field] {
        meeting.id.isEmpty ? [] : [.init(title: "Meeting ID", value: Self.meetingID(meeting.id), short: true)]
    }

    func footer(_ sources: [EventSource?]) -> String {
        var names: [String] = []
        for source in sources {
            let name = switch source {
            case .webhook, nil: "Zoom webhook"
            case .backfill: "Zoom backfill"
            case .replay: "replay"
            case .projection: "projection"
            case .reconcile: "filled in from Zoom's report"
            }
            if !names.contains(name) { names.append(name) }
        }
        return String(("Lookout · " + names.joined(separator: ", ")).prefix(MessageAttachment.footerLimit))
    }

    /// Zoom's meeting id grouped as Zoom shows it: "850 1234 5678".
    static func meetingID(_ id: String) -> String {
        guard id.allSatisfy(\.isASCII), id.allSatisfy(\.isNumber) else { return MattermostText.markdownLiteral(id) }
        let sizes: [Int] = switch id.count {
        case 9: [3, 3, 3]
        case 10: [3, 3, 4]
        case 11: [3, 4, 4]
        default: [id.count]
        }
        var rest = Substring(id)
        return sizes.map { size in
            defer { rest = rest.dropFirst(size) }
            return String(rest.prefix(size))
        }.joined(separator: " ")
    }
}
