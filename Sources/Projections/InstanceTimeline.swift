/// A meeting instance's joins and leaves as short strings, `"<ms>|j|<attendee>"` or
/// `"<ms>|l|<attendee>"`, kept as a set in the instance's `meetings` document (`$addToSet`).
/// The peak is recomputed from that one document instead of from every fact of the instance:
/// the set only grows, and the same join or leave always gives the same string, so redeliveries,
/// any order and several replicas leave the same set, and a version read with more entries has
/// seen everything a version with fewer had.
public enum InstanceTimeline {
    public struct Entry: Sendable, Equatable {
        public let at: Int64
        public let kind: AttendanceFact.Kind
        public let attendee: String
    }

    /// The instance a fact belongs to (the meeting's UUID, else its id), as the lifecycle names it.
    public static func instance(of fact: AttendanceFact) -> String {
        fact.meetingUUID.flatMap { $0.isEmpty ? nil : $0 } ?? fact.meetingID
    }

    public static func entry(_ fact: AttendanceFact) -> String {
        "\(fact.at.milliseconds)|\(fact.kind == .join ? "j" : "l")|\(fact.attendee)"
    }

    /// nil for a string this type did not write.
    public static func parse(_ entry: String) -> Entry? {
        let parts = entry.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let at = Int64(parts[0]) else { return nil }
        switch parts[1] {
        case "j": return Entry(at: at, kind: .join, attendee: String(parts[2]))
        case "l": return Entry(at: at, kind: .leave, attendee: String(parts[2]))
        default: return nil
        }
    }

    /// Every instance's entries among these facts.
    public static func entries(of facts: [AttendanceFact]) -> [String: [String]] {
        Dictionary(grouping: facts, by: instance(of:)).mapValues { facts in Array(Set(facts.map(entry))).sorted() }
    }
}
