import ZoomModel
import ZoomWebhooks

/// A meeting instance's joins and leaves as short strings, kept as a set in the instance's
/// `meetings` document (`$addToSet`): `"<ms>|<j|l>|<reason class>|<u|->|<attendee>|<name>"`, the
/// reason class of a leave by `LeaveRules.reasonClass` (`-` for joins), `u` when the attendee is
/// a `participant_uuid`, `|` and `%` in the free-text parts percent-escaped. The peak and the
/// collective incidents are recomputed from that one document instead of from every fact of the
/// instance: the set only grows, and the same join or leave always gives the same string, so
/// redeliveries, any order and several replicas leave the same set, and a version read with more
/// entries has seen everything a version with fewer had. Entries written before issue 13
/// (`"<ms>|<j|l>|<attendee>"`) still read, as plain leaves of an unnamed person.
public enum InstanceTimeline {
    public struct Entry: Sendable, Equatable {
        public let at: Int64
        public let kind: AttendanceFact.Kind
        public let reason: ReasonClass
        public let participantUUID: String?
        public let attendee: String
        public let name: String

        /// The person (`Identity.person` without the meeting).
        public var person: String { Identity.normalizedName(name) }
    }

    public static func entry(_ fact: AttendanceFact, rules: LeaveRules) -> String? {
        let kind: String
        switch fact.kind {
        case .join: kind = "j"
        case .leave: kind = "l"
        case .roomJoin, .roomLeave: return nil
        }
        let reason = fact.kind == .leave ? code(rules.reasonClass(fact.leaveReason)) : "-"
        let uuid = fact.participantUUID == fact.attendee ? "u" : "-"
        return "\(fact.at.milliseconds)|\(kind)|\(reason)|\(uuid)|\(escaped(fact.attendee))|\(escaped(fact.name))"
    }

    /// nil for a string this type did not write.
    public static func parse(_ entry: String) -> Entry? {
        let parts = entry.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count >= 3, let at = Int64(parts[0]) else { return nil }
        let kind: AttendanceFact.Kind
        switch parts[1] {
        case "j": kind = .join
        case "l": kind = .leave
        default: return nil
        }
        guard parts.count == 6 else {
            let attendee = parts[2...].joined(separator: "|")
            return Entry(at: at, kind: kind, reason: .plain, participantUUID: nil, attendee: attendee, name: attendee)
        }
        let attendee = unescaped(parts[4])
        return Entry(at: at, kind: kind, reason: reason(parts[2]), participantUUID: parts[3] == "u" ? attendee : nil,
                     attendee: attendee, name: unescaped(parts[5]))
    }

    /// Every instance's entries among these facts.
    public static func entries(of facts: [AttendanceFact], rules: LeaveRules) -> [String: [String]] {
        Dictionary(grouping: facts, by: \.instance).mapValues { facts in Array(Set(facts.compactMap { entry($0, rules: rules) })).sorted() }
    }

    static func movement(_ entry: Entry, instance: String) -> Movement {
        Movement(at: entry.at, direction: entry.kind == .join ? .join : .leave, instance: instance, attendee: entry.attendee,
                 participantUUID: entry.participantUUID, reason: entry.reason)
    }

    private static let codes: [(ReasonClass, String)] = [(.move, "m"), (.network, "n"), (.appClosed, "c"), (.hostEnded, "h"), (.plain, "p")]
    private static func code(_ reason: ReasonClass) -> String { codes.first { $0.0 == reason }!.1 }
    private static func reason(_ code: Substring) -> ReasonClass { codes.first { $0.1 == code }?.0 ?? .plain }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "|", with: "%7C")
    }

    private static func unescaped(_ text: Substring) -> String {
        text.replacingOccurrences(of: "%7C", with: "|").replacingOccurrences(of: "%25", with: "%")
    }
}
