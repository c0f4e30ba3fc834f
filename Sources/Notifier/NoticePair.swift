import Foundation
import ZoomModel

/// What a route does with a room move (rules file `moves`).
public enum MovePolicy: String, Sendable, CaseIterable {
    /// One `moved` notice for the left and the joined.
    case post
    /// Nothing for the pair (both deliveries are still settled).
    case skip
}

/// How one route tells a left and a joined that belong together.
public struct Pairing: Sendable, Equatable {
    /// A move becomes one `moved` notice; false: the pair is not posted at all.
    public var postsMoves: Bool
    /// A drop and a rejoin under a new connection become one `reconnected` notice; false: each
    /// half is told on its own.
    public var postsReconnects: Bool

    public init(postsMoves: Bool = true, postsReconnects: Bool = true) {
        self.postsMoves = postsMoves
        self.postsReconnects = postsReconnects
    }
}

/// A left and a joined, both still waiting, that are one thing (REFERENCE.md, "Room moves" and
/// "Reconnects"). They may arrive in either order.
enum NoticePair {
    /// Same connection (`participant_uuid`; the name when Zoom gave none), same instance, the
    /// same second in `leave_time` and `join_time`, whatever the reason says.
    case move
    /// Same person (name) in the same instance, back under a new connection no earlier than the
    /// second it left and within `LeaveRules.bounceSeconds`; not when the reason says it moved.
    case reconnect

    /// A join or a leave as pairing compares it.
    struct Half: Sendable {
        let movement: Movement
        /// `Identity.normalizedName`; empty when Zoom gave none.
        let name: String

        init?(_ notice: Notice) {
            guard notice.rejoin == nil, let movement = notice.movement else { return nil }
            self.movement = movement
            name = Identity.normalizedName(notice.event.participant?.name ?? "")
        }
    }

    init?(leave: Half, join: Half) {
        let (out, back) = (leave.movement, join.movement)
        guard out.direction == .leave, back.direction == .join, out.instance == back.instance else { return nil }
        let samePerson = !leave.name.isEmpty && leave.name == join.name
        let rules = LeaveRules.notices
        if rules.isMove(back, of: out), samePerson || (out.participantUUID != nil && back.participantUUID != nil) {
            self = .move
        } else if samePerson, out.reason != .move, back.attendee != out.attendee,
                  back.at / 1000 >= out.at / 1000, rules.isBounce(out, rejoin: back) {
            self = .reconnect
        } else {
            return nil
        }
    }

    /// The one notice told for the pair.
    func notice(leave: Notice, join: Notice) -> Notice {
        Notice(kind: self == .move ? .moved : .reconnected, event: leave.event, source: leave.source ?? join.source,
               rejoin: join.event.participant)
    }

    /// Whether a route with `pairing` posts this pair, else lets it go unposted.
    func isPosted(_ pairing: Pairing) -> Bool {
        self == .move ? pairing.postsMoves : pairing.postsReconnects
    }
}

extension Notice {
    /// A participant's join or leave as the leave rules read it; nil for anything else.
    var movement: Movement? {
        guard let participant = event.participant, let attendee = participant.attendee else { return nil }
        let direction: Movement.Direction
        let time: Date?
        switch event.name {
        case ZoomEventName.participantJoined:
            guard kind == .joined else { return nil }
            (direction, time) = (.join, participant.joinTime)
        case ZoomEventName.participantLeft:
            guard [.left, .disconnected, .moved].contains(kind) else { return nil }
            (direction, time) = (.leave, participant.leaveTime)
        default:
            return nil
        }
        guard let at = time ?? event.timestamp else { return nil }
        return Movement(at: ZoomTime.milliseconds(at), direction: direction, instance: event.meeting.instance, attendee: attendee,
                        participantUUID: participant.participantUUID,
                        reason: direction == .leave ? LeaveRules.notices.reasonClass(participant.leaveReason) : .plain)
    }
}
