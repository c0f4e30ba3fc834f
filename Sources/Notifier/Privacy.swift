import Crypto
import Foundation

/// Who a route may name.
public enum Privacy: Sendable, Equatable {
    case everyone
    /// Only these participants (names or emails, lowercased): notices about anyone else are not
    /// posted on the route, and incidents list only them.
    case only(Set<String>)
    /// Everyone, under a stable pseudonym; emails are dropped.
    case pseudonymized

    public static func only(listing people: [String]) -> Privacy {
        .only(Set(people.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }))
    }

    /// The event as this route may show it; nil when the route must not show it at all.
    public func apply(to event: ZoomEvent, pseudonyms: Pseudonyms?) -> ZoomEvent? {
        var event = event
        switch self {
        case .everyone:
            return event
        case .only(let people):
            if let participant = event.participant, !Self.isListed(participant, in: people) { return nil }
            event.incident?.participants.removeAll { !Self.isListed($0, in: people) }
            return event
        case .pseudonymized:
            guard let pseudonyms else { return nil }
            event.participant = event.participant.map(pseudonyms.disguise)
            if let participants = event.incident?.participants {
                event.incident?.participants = participants.map(pseudonyms.disguise)
            }
            return event
        }
    }

    private static func isListed(_ participant: ZoomEvent.Participant, in people: Set<String>) -> Bool {
        [participant.name, participant.email].contains { $0.map { people.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) } == true }
    }
}

/// Stable pseudonyms: the same person gets the same one in every meeting and every post, and
/// without the key nobody can tell who is behind it (a plain hash of a name could be guessed).
public struct Pseudonyms: Sendable, CustomStringConvertible {
    private let key: [UInt8]

    public init(key: [UInt8]) {
        self.key = key
    }

    public var description: String { "Pseudonyms(key: ***)" }

    /// "Participant 4F2A9C", keyed on the email when Zoom gave one, else on the name.
    public func name(for participant: ZoomEvent.Participant) -> String {
        let identity = [participant.email, participant.name].lazy.compactMap { $0?.trimmingCharacters(in: .whitespaces).lowercased() }
            .first { !$0.isEmpty } ?? participant.key
        let code = HMAC<SHA256>.authenticationCode(for: Array(identity.utf8), using: SymmetricKey(data: key))
        return "Participant " + code.prefix(3).map { String(format: "%02X", $0) }.joined()
    }

    func disguise(_ participant: ZoomEvent.Participant) -> ZoomEvent.Participant {
        var disguised = participant
        let pseudonym = name(for: participant)
        disguised.name = pseudonym
        disguised.email = nil
        // Zoom repeats the name inside the leave reason ("Ada left the meeting. Reason : …").
        if let name = participant.name, !name.isEmpty {
            disguised.leaveReason = participant.leaveReason?.replacingOccurrences(of: name, with: pseudonym)
        }
        return disguised
    }
}
