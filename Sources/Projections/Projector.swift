/// Turns the facts of what a batch touched into the documents to write. Pure: the worker loads
/// the facts, calls this, and writes the result with fact-count guards.
///
/// The worker projects per instance (`project(_:rules:)`): each touched instance's document is
/// recomputed from that instance's facts, one write per instance. `update(groupFacts:timelines:rules:)`
/// computes a person from all their facts at once: the definition the per-instance parts merge to
/// (`PresencePart.merged`), kept for the tests that hold the two together.
public enum Projector {
    /// One instance's facts, as its document holds them.
    public struct InstanceFacts: Sendable, Equatable {
        public let instance: String
        public let meetingID: String?
        public let topic: String?
        public let facts: [AttendanceFact]
        /// `InstanceTimeline` entries.
        public let timeline: [String]

        public init(instance: String, meetingID: String?, topic: String?, facts: [AttendanceFact], timeline: [String]) {
            self.instance = instance
            self.meetingID = meetingID
            self.topic = topic
            self.facts = facts
            self.timeline = timeline
        }
    }

    /// What an instance's document shows, recomputed from all of its facts.
    public struct InstanceProjection: Sendable, Equatable {
        public let instance: String
        /// Each person's presence in this instance.
        public let people: [PresencePart]
        public let incidents: [CollectiveIncident]
        public let peakParticipants: Int
        /// Distinct facts it was computed from; a stored projection from at least as many is kept.
        public let factCount: Int
    }

    /// The instances a batch touched: each is recomputed whole.
    public static func touchedInstances(by inputs: [ProjectionInput]) -> [String] {
        var seen = Set<String>()
        var instances: [String] = []
        for case .attendance(_, let lifecycle) in inputs where seen.insert(lifecycle.instance).inserted {
            instances.append(lifecycle.instance)
        }
        return instances
    }

    public static func project(_ instance: InstanceFacts, rules: ProjectionRules) -> InstanceProjection {
        var seen = Set<String>()
        let facts = instance.facts.filter { seen.insert($0.id).inserted }
        let people = Dictionary(grouping: facts, by: \.group).values
            .compactMap { PresencePart.of($0, instance: instance.instance, rules: rules) }
            .sorted { $0.presence.id < $1.presence.id }
        let entries = instance.timeline.compactMap(InstanceTimeline.parse)
        let incidents = instance.meetingID.map { meetingID in
            CollectiveIncident.detect(instance: instance.instance, meetingID: meetingID, topic: instance.topic,
                                      timeline: entries, rules: rules)
        } ?? []
        return InstanceProjection(instance: instance.instance, people: people, incidents: incidents,
                                  peakParticipants: PeakConcurrency.of(entries), factCount: facts.count)
    }

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

extension Projector {
    /// Each instance's record as the store would hold it after these facts (lifecycle aside:
    /// the instance, meeting and topic of its facts): tools and tests that have facts, not a store.
    public static func records(of facts: [AttendanceFact], rules: ProjectionRules) -> [InstanceRecord] {
        let timelines = InstanceTimeline.entries(of: facts, rules: rules.leaves)
        return Dictionary(grouping: facts, by: \.instance).sorted { $0.key < $1.key }.map { instance, facts in
            let first = facts[0]
            let projection = project(InstanceFacts(instance: instance, meetingID: first.meetingID, topic: first.topic, facts: facts,
                                                   timeline: timelines[instance] ?? []), rules: rules)
            return InstanceRecord(meeting: MeetingSummary(id: instance, meetingID: first.meetingID, topic: first.topic, hostID: nil,
                                                          startedAt: nil, endedAt: nil, peakParticipants: projection.peakParticipants),
                                  people: projection.people, incidents: projection.incidents)
        }
    }
}
