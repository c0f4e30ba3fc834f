import Foundation
import ZoomModel

/// Join times this worker has seen, so a leave can say how long someone was in: Zoom's
/// participant_left carries no join time. Bounded; a worker that started after the join does
/// not know it and leaves the field out.
struct JoinTimes: Sendable {
    private var times: [String: Date] = [:]
    private var order: [String] = []
    private let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    mutating func remember(_ event: ZoomEvent) {
        guard let participant = event.participant, let time = participant.joinTime ?? event.timestamp,
              let key = Self.key(event.meeting, participant) else { return }
        if times.updateValue(time, forKey: key) == nil { order.append(key) }
        if order.count > capacity {
            for old in order.prefix(capacity / 2) { times[old] = nil }
            order.removeFirst(capacity / 2)
        }
    }

    /// Seconds between the join and this leave, if the join is known and came before it.
    func timeInRoom(_ event: ZoomEvent) -> TimeInterval? {
        guard let participant = event.participant, let left = participant.leaveTime ?? event.timestamp,
              let joined = participant.joinTime ?? Self.key(event.meeting, participant).flatMap({ times[$0] }), joined <= left else { return nil }
        return left.timeIntervalSince(joined)
    }

    /// One connection in one meeting occurrence (`Identity`): a room move keeps it, a reconnect
    /// starts a new one.
    private static func key(_ meeting: ZoomEvent.Meeting, _ participant: ZoomEvent.Participant) -> String? {
        participant.attendee.map { meeting.instance + "\u{1F}" + $0 }
    }
}
