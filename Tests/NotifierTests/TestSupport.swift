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

/// 08:01:<second> UTC on the recorded class's day, in Zoom's form: when a test's joins and leaves happen.
func zoomTime(second: Int) -> String { "2026-11-22T08:01:\(String(format: "%02d", second))Z" }

func joinedNotice(_ name: String, meeting: String = "85012345678") throws -> Notice {
    let event = try ZoomEvent.decode(ZoomBodies.joined(name, meeting: meeting, topic: "Biology 101"))
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
