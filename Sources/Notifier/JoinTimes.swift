import Foundation

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
        guard let participant = event.participant, let time = participant.joinTime ?? event.timestamp else { return }
        let key = Self.key(event.meeting, participant)
        if times.updateValue(time, forKey: key) == nil { order.append(key) }
        if order.count > capacity {
            for old in order.prefix(capacity / 2) { times[old] = nil }
            order.removeFirst(capacity / 2)
        }
    }

    /// Seconds between the join and this leave, if the join is known and came before it.
    func timeInRoom(_ event: ZoomEvent) -> TimeInterval? {
        guard let participant = event.participant, let left = participant.leaveTime ?? event.timestamp,
              let joined = participant.joinTime ?? times[Self.key(event.meeting, participant)], joined <= left else { return nil }
        return left.timeIntervalSince(joined)
    }

    private static func key(_ meeting: ZoomEvent.Meeting, _ participant: ZoomEvent.Participant) -> String {
        meeting.instanceKey + "\u{1F}" + participant.key
    }
}
