/// The most participants in a meeting instance at once, from its attendance facts (any order).
enum PeakConcurrency {
    static func of(_ facts: [AttendanceFact]) -> Int {
        let ordered = facts.sorted { ($0.at, $0.kind == .leave ? 0 : 1) < ($1.at, $1.kind == .leave ? 0 : 1) }
        var present = Set<String>()
        var peak = 0
        for fact in ordered {
            switch fact.kind {
            case .join: present.insert(fact.attendee)
            case .leave: present.remove(fact.attendee)
            }
            peak = max(peak, present.count)
        }
        return peak
    }
}
