import Foundation
import ZoomModel

/// A join or leave Lookout already holds for a meeting instance, with the `participant_uuid` Zoom
/// gave it (a webhook, or a Dashboard record).
public struct KnownMovement: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case join, leave }

    public var kind: Kind
    public var at: Date
    public var participantUUID: String
    public var userID: String?
    public var name: String?

    public init(kind: Kind, at: Date, participantUUID: String, userID: String? = nil, name: String? = nil) {
        self.kind = kind
        self.at = at
        self.participantUUID = participantUUID
        self.userID = userID
        self.name = name
    }
}

/// Gives Report API rows the `participant_uuid` of the webhooks of the same join, so both are
/// keyed by the same attendee (`Identity.attendee`) and are one fact. Pure.
///
/// A Report row has no `participant_uuid`, so by the identity rules its attendee is its `user_id`,
/// while the webhook of the same join is keyed by its `participant_uuid`. A row takes the
/// `participant_uuid` of a known movement of the same kind in the same second with the same
/// `user_id` or, failing that, the same normalised name — for its join or its leave — when exactly
/// one connection matches and no other row claims the same movement. Otherwise (nothing known: the
/// webhooks were lost, or arrive later; or two connections of one name in one second) the row keeps
/// its `user_id`, and the person-level projections still count the stay once.
public enum ReportIdentity {
    public static func adopt(_ rows: [ZoomEvent.Participant], known: [KnownMovement]) -> [ZoomEvent.Participant] {
        guard !known.isEmpty else { return rows }
        let claims = rows.map { row in row.participantUUID?.isEmpty == false ? [] : matches(row, known) }
        // A movement two rows would take is nobody's.
        var claimants: [Int: Int] = [:]
        for indices in claims { for index in indices { claimants[index, default: 0] += 1 } }
        return zip(rows, claims).map { row, indices in
            let owners = Set(indices.filter { claimants[$0] == 1 }.map { known[$0].participantUUID })
            guard owners.count == 1, indices.allSatisfy({ claimants[$0] == 1 }), let uuid = owners.first else { return row }
            var adopted = row
            adopted.participantUUID = uuid
            return adopted
        }
    }

    /// Indices of the known movements the row's join and leave match.
    static func matches(_ row: ZoomEvent.Participant, _ known: [KnownMovement]) -> [Int] {
        var found: [Int] = []
        for (kind, time) in [(KnownMovement.Kind.join, row.joinTime), (.leave, row.leaveTime)] {
            guard let time else { continue }
            let sameSecond = known.indices.filter { known[$0].kind == kind && second(known[$0].at) == second(time) }
            let byUser = sameSecond.filter { nonEmpty(known[$0].userID) != nil && known[$0].userID == nonEmpty(row.userID) }
            let byName = sameSecond.filter { index in
                guard let name = nonEmpty(known[index].name), let rowName = nonEmpty(row.name) else { return false }
                return Identity.normalizedName(name) == Identity.normalizedName(rowName)
            }
            found += byUser.isEmpty ? byName : byUser
        }
        return found
    }

    private static func second(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    private static func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
}

/// Where the movements Lookout already holds come from (the stored events).
public protocol KnownMovements: Sendable {
    func movements(meetingID: String, instance: String) async throws -> [KnownMovement]
}
