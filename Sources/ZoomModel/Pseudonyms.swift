import Crypto

/// Stable pseudonyms, one scheme for the dashboard, the exports and Mattermost: the same person
/// gets the same pseudonym everywhere, and without the key nobody can tell who is behind it (a
/// plain hash of a name could be guessed). Keyed on the normalised name — what identifies a
/// person in a meeting (`Identity.person`); emails are not used, as webhooks carry none and the
/// same person would otherwise get two pseudonyms.
public struct Pseudonyms: Sendable, Equatable, CustomStringConvertible {
    private let keyBytes: [UInt8]

    public init(key: [UInt8]) {
        keyBytes = key
    }

    public var description: String { "Pseudonyms(key: ***)" }

    /// "Participant 4F2A9C".
    public func name(for name: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(Identity.normalizedName(name).utf8), using: SymmetricKey(data: keyBytes))
        return "Participant " + Hex.encode(code.prefix(3), uppercase: true)
    }

    /// The participant as a pseudonymised view shows them: the pseudonym, no email, and the name
    /// taken out of the leave reason (Zoom repeats it there: "Ada left the meeting. Reason : …").
    public func disguise(_ participant: ZoomEvent.Participant) -> ZoomEvent.Participant {
        var disguised = participant
        let pseudonym = name(for: participant.name ?? participant.attendee ?? "")
        disguised.name = pseudonym
        disguised.email = nil
        if let name = participant.name, !name.isEmpty {
            disguised.leaveReason = participant.leaveReason?.replacingOccurrences(of: name, with: pseudonym)
        }
        return disguised
    }
}
