import Foundation
import ZoomModel

/// Who a route may name.
public enum Privacy: Sendable, Equatable {
    case everyone
    /// Only these participants (names or emails, lowercased): notices about anyone else are not
    /// posted on the route, and incidents list only them.
    case only(Set<String>)
    /// Everyone, under a stable pseudonym (`Pseudonyms`: keyed on the name, the same as the
    /// dashboard and the exports show); emails are dropped.
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
