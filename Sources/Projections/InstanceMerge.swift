import ZoomModel

/// What one batch changes in one meeting instance's `meetings` document, all its events folded
/// into one update: the last topic and host given, the earliest start, the latest end, and every
/// join and leave for the timeline. Applying it equals applying the events' updates one by one
/// (`$set` keeps the last, `$min`/`$max` and `$addToSet` do not care about order), in one write
/// instead of one per event: on the MongoDB-wire server each write that changes a document costs
/// milliseconds (docs/benchmarks.md).
public struct InstanceMerge: Sendable, Equatable {
    public let instance: String
    public var meetingID: String
    public var topic: String?
    public var hostID: String?
    public var startedAt: BSONDate?
    public var endedAt: BSONDate?
    /// `InstanceTimeline` entries, in the order first seen, without repeats.
    public var timeline: [String] = []

    init(_ lifecycle: MeetingLifecycle) {
        instance = lifecycle.instance
        meetingID = lifecycle.meetingID
    }

    /// One merge per instance, in the order instances first appear.
    public static func of(_ inputs: [ProjectionInput], rules: LeaveRules) -> [InstanceMerge] {
        var merges: [InstanceMerge] = []
        var index: [String: Int] = [:]
        var seen: [String: Set<String>] = [:]
        for input in inputs {
            guard let lifecycle = input.lifecycle else { continue }
            let position = index[lifecycle.instance] ?? {
                merges.append(InstanceMerge(lifecycle))
                index[lifecycle.instance] = merges.count - 1
                return merges.count - 1
            }()
            merges[position].meetingID = lifecycle.meetingID
            if let topic = lifecycle.topic { merges[position].topic = topic }
            if let host = lifecycle.hostID { merges[position].hostID = host }
            if let started = lifecycle.startedAt { merges[position].startedAt = min(merges[position].startedAt ?? started, started) }
            if let ended = lifecycle.endedAt { merges[position].endedAt = max(merges[position].endedAt ?? ended, ended) }
            if case .attendance(let fact, _) = input, let entry = InstanceTimeline.entry(fact, rules: rules) {
                if seen[lifecycle.instance, default: []].insert(entry).inserted { merges[position].timeline.append(entry) }
            }
        }
        return merges
    }
}
