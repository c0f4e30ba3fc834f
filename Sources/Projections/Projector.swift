/// Turns the facts of what a batch touched into the documents to write. Pure: the worker loads
/// the facts, calls this, and writes the result with fact-count guards.
public enum Projector {
    /// What a batch touched, and so what must be recomputed.
    public struct Touched: Sendable, Equatable {
        /// People (`Identity.person`).
        public var groups: Set<String> = []
        public var instances: Set<String> = []

        public init() {}

        public var isEmpty: Bool { groups.isEmpty && instances.isEmpty }
    }

    /// One instance's timeline as its `meetings` document holds it.
    public struct Timeline: Sendable, Equatable {
        public let instance: String
        public let meetingID: String?
        public let topic: String?
        public let entries: [String]

        public init(instance: String, meetingID: String?, topic: String?, entries: [String]) {
            self.instance = instance
            self.meetingID = meetingID
            self.topic = topic
            self.entries = entries
        }
    }

    public struct Peak: Sendable, Equatable {
        public let instance: String
        public let participants: Int
        public let factCount: Int
    }

    public struct Update: Sendable, Equatable {
        public var presence: [ParticipantPresence] = []
        public var peaks: [Peak] = []
        public var incidents: [MeetingIncidents] = []

        /// Every disconnection of the recomputed people.
        public var disconnections: [NetworkDisconnection] { presence.flatMap(\.disconnections) }
    }

    public static func touched(by inputs: [ProjectionInput]) -> Touched {
        var touched = Touched()
        for case .attendance(let fact, let lifecycle) in inputs {
            touched.groups.insert(fact.group)
            if fact.kind == .join || fact.kind == .leave { touched.instances.insert(lifecycle.instance) }
        }
        return touched
    }

    /// The same, with the touched instances' timelines made from their facts.
    public static func update(groupFacts: [AttendanceFact], instanceFacts: [AttendanceFact], rules: ProjectionRules) -> Update {
        let timelines = InstanceTimeline.entries(of: instanceFacts, rules: rules.leaves).map { instance, entries in
            let fact = instanceFacts.first { $0.instance == instance }
            return Timeline(instance: instance, meetingID: fact?.meetingID, topic: fact?.topic, entries: entries)
        }
        return update(groupFacts: groupFacts, timelines: timelines, rules: rules)
    }

    /// - Parameters:
    ///   - groupFacts: every fact of the touched people.
    ///   - timelines: the timeline of every touched meeting instance (`InstanceTimeline`).
    public static func update(groupFacts: [AttendanceFact], timelines: [Timeline], rules: ProjectionRules) -> Update {
        var update = Update()
        for (_, facts) in Dictionary(grouping: groupFacts, by: \.group) {
            if let presence = PresenceTimeline.presence(of: facts, rules: rules) { update.presence.append(presence) }
        }
        for timeline in timelines where !timeline.entries.isEmpty {
            let entries = timeline.entries.compactMap(InstanceTimeline.parse)
            update.peaks.append(Peak(instance: timeline.instance, participants: PeakConcurrency.of(entries), factCount: timeline.entries.count))
            guard let meetingID = timeline.meetingID else { continue }
            update.incidents.append(MeetingIncidents(
                id: timeline.instance, meetingID: meetingID,
                incidents: CollectiveIncident.detect(instance: timeline.instance, meetingID: meetingID, topic: timeline.topic,
                                                     timeline: entries, rules: rules),
                factCount: timeline.entries.count))
        }
        update.presence.sort { $0.id < $1.id }
        update.peaks.sort { $0.instance < $1.instance }
        update.incidents.sort { $0.id < $1.id }
        return update
    }
}
