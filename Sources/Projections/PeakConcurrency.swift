/// The most participants in a meeting instance at once, from its joins and leaves (any order).
enum PeakConcurrency {
    static func of(_ facts: [AttendanceFact]) -> Int {
        of(facts.map { InstanceTimeline.Entry(at: $0.at.milliseconds, kind: $0.kind, attendee: $0.attendee) })
    }

    static func of(_ entries: [InstanceTimeline.Entry]) -> Int {
        let ordered = entries.sorted { ($0.at, $0.kind == .leave ? 0 : 1) < ($1.at, $1.kind == .leave ? 0 : 1) }
        var present = Set<String>()
        var peak = 0
        for entry in ordered {
            switch entry.kind {
            case .join: present.insert(entry.attendee)
            case .leave: present.remove(entry.attendee)
            }
            peak = max(peak, present.count)
        }
        return peak
    }
}
