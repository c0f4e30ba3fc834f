import Foundation
import LookoutCore
import LookoutTestSupport
@testable import Notifier
import ZoomModel

/// Recorded-shape Zoom deliveries (and a Lookout incident), byte for byte (LookoutTestSupport's).
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] { try RecordedFixtures.bytes(name) }

    static func event(_ name: String) throws -> ZoomEvent { try ZoomEvent.decode(bytes(name)) }

    static func notice(_ name: String, source: EventSource? = .webhook, timeInRoom: TimeInterval? = nil) throws -> Notice {
        let event = try event(name)
        return Notice(kind: NoticeKind(event), event: event, source: source, timeInRoom: timeInRoom)
    }
}

func iso(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

let utc = NoticeStyle(localTime: LocalTime(timeZone: TimeZone(identifier: "UTC")!))

func delivery(_ tag: UInt64, body: [UInt8], routingKey: String = "meeting.participant_joined",
              headers: [String: HeaderValue] = [:]) -> Delivery {
    Delivery(tag: DeliveryTag(connection: 1, value: tag), routingKey: routingKey, body: body, messageID: "m\(tag)",
             timestamp: nil, source: .webhook, redelivered: false, headers: headers)
}

/// A participant_joined body for one person in one meeting.
func joined(_ name: String, meeting: String = "85012345678", topic: String = "Biology 101", second: Int = 2,
            uuid: String? = nil) -> [UInt8] {
    Array(#"{"event":"meeting.participant_joined","event_ts":1763798400123,"payload":{"object":{"id":"\#(meeting)","uuid":"uuid-\#(meeting)","host_id":"host-1","topic":"\#(topic)","participant":{"user_id":"\#(name)-id","user_name":"\#(name)","participant_uuid":"\#(uuid ?? name + "-uuid")","join_time":"2026-11-22T08:01:\#(String(format: "%02d", second))Z","email":""}}}}"#.utf8)
}

/// A participant_left body, in Zoom's "<name> left the meeting. Reason : <reason>" form.
func left(_ name: String, meeting: String = "85012345678", topic: String = "Biology 101", second: Int = 2,
          uuid: String? = nil, reason: String = "left the meeting") -> [UInt8] {
    Array(#"{"event":"meeting.participant_left","event_ts":1763798400456,"payload":{"object":{"id":"\#(meeting)","uuid":"uuid-\#(meeting)","host_id":"host-1","topic":"\#(topic)","participant":{"user_id":"\#(name)-id2","user_name":"\#(name)","participant_uuid":"\#(uuid ?? name + "-uuid")","leave_time":"2026-11-22T08:01:\#(String(format: "%02d", second))Z","leave_reason":"\#(name) left the meeting. Reason : \#(reason)","email":""}}}}"#.utf8)
}

func joinedNotice(_ name: String, meeting: String = "85012345678") throws -> Notice {
    let event = try ZoomEvent.decode(joined(name, meeting: meeting))
    return Notice(kind: .joined, event: event, source: .webhook)
}

/// The notice a body makes, with the kind the notifier gives it.
func notice(_ body: [UInt8], pairingOnly: Bool = false) throws -> Notice {
    let event = try ZoomEvent.decode(body)
    return Notice(kind: NoticeKind(event), event: event, source: .webhook, pairingOnly: pairingOnly)
}

/// Rules with one route over the given hooks (rate and burst as given), posting every meeting.
func rules(hooks: [String] = ["chat"], rate: Double = 1, burst: Int = 5, channel: String? = nil,
           kinds: Set<NoticeKind>? = nil, moves: MovePolicy = .post) -> NotifyRules {
    var table: [String: Hook] = [:]
    for name in hooks { table[name] = Hook(name: name, url: WebhookURL("https://chat.example.edu/hooks/\(name)-secret"), ratePerSecond: rate, burst: burst) }
    return NotifyRules(hooks: table, routes: [Route(name: "all", hooks: hooks, channel: channel, kinds: kinds, moves: moves, style: utc)],
                       unmatched: nil)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
