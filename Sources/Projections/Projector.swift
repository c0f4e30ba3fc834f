/// Turns the facts of what a batch touched into the documents to write. Pure: the worker loads
/// the facts, calls this, and writes the result with fact-count guards.
public enum Projector {
    /// What a batch touched, and so what must be recomputed.
    public struct Touched: Sendable, Equatable {
        public var groups: Set<String> = []
        public var instances: Set<String> = []
        /// Meetings with a new network disconnection (their incidents are recomputed).
        public var dropMeetings: Set<String> = []

        public init() {}

        public var isEmpty: Bool { groups.isEmpty && instances.isEmpty && dropMeetings.isEmpty }
    }

    public struct Peak: Sendable, Equatable {
        public let instance: String
        public let participants: Int
        public let factCount: Int
    }

    public struct Update: Sendable, Equatable {
        public var presence: [ParticipantPresence] = []
        public var disconnections: [NetworkDisconnection] = []
        public var peaks: [Peak] = []
        public var incidents: [MeetingIncidents] = []
    }

    public static func touched(by inputs: [ProjectionInput]) -> Touched {
        var touched = Touched()
        for case .attendance(let fact, let lifecycle) in inputs {
            touched.groups.insert(fact.group)
            touched.instances.insert(lifecycle.instance)
            if fact.network { touched.dropMeetings.insert(fact.meetingID) }
        }
        return touched
    }

    /// The same, with the touched instances' timelines made from their facts.
    public static func update(groupFacts: [AttendanceFact], instanceFacts: [AttendanceFact],
                              drops: [AttendanceFact], rules: ProjectionRules) -> Update {
        update(groupFacts: groupFacts, timelines: InstanceTimeline.entries(of: instanceFacts), drops: drops, rules: rules)
    }

    /// - Parameters:
    ///   - groupFacts: every fact of the touched groups.
    ///   - timelines: the timeline of every touched meeting instance (`InstanceTimeline`), by instance.
    ///   - drops: every network-disconnection fact of the touched drop meetings.
    public static func update(groupFacts: [AttendanceFact], timelines: [String: [String]],
                              drops: [AttendanceFact], rules: ProjectionRules) -> Update {
        var update = Update()
        for (_, facts) in Dictionary(grouping: groupFacts, by: \.group) {
            for (_, attendeeFacts) in Dictionary(grouping: facts, by: \.attendee) {
                if let presence = ParticipantPresence.from(attendeeFacts, factCount: facts.count) {
                    update.presence.append(presence)
                }
            }
            update.disconnections += NetworkDisconnection.from(facts, rules: rules)
        }
        for (instance, entries) in timelines where !entries.isEmpty {
            update.peaks.append(Peak(instance: instance, participants: PeakConcurrency.of(entries.compactMap(InstanceTimeline.parse)),
                                     factCount: entries.count))
        }
        for (meetingID, facts) in Dictionary(grouping: drops, by: \.meetingID) {
            update.incidents.append(MeetingIncidents(id: meetingID, incidents: CollectiveIncident.detect(in: facts, rules: rules),
                                                     factCount: facts.count))
        }
        update.presence.sort { $0.id < $1.id }
        update.disconnections.sort { $0.id < $1.id }
        update.peaks.sort { $0.instance < $1.instance }
        update.incidents.sort { $0.id < $1.id }
        return update
    }
}
