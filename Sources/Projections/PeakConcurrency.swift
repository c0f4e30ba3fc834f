/// The most people in a meeting instance at once, from its joins and leaves (any order). A person
/// counts once however many connections they have; at a tie, a connection that is in leaves
/// before it joins again (a move), one that is out joins first (a visit of no length).
enum PeakConcurrency {
    static func of(_ entries: [InstanceTimeline.Entry]) -> Int {
        var open: [String: Int] = [:]
        var people: [String: Int] = [:]
        var peak = 0
        for (_, tie) in Dictionary(grouping: entries, by: \.at).sorted(by: { $0.key < $1.key }) {
            for (attendee, events) in Dictionary(grouping: tie, by: \.attendee).sorted(by: { $0.key < $1.key }) {
                let joins = events.filter { $0.kind == .join }, leaves = events.filter { $0.kind == .leave }
                let person = events[0].person
                for event in (open[attendee] ?? 0) > 0 ? leaves + joins : joins + leaves {
                    if event.kind == .join {
                        if (open[attendee] ?? 0) == 0 { people[person, default: 0] += 1 }
                        open[attendee] = 1
                    } else if (open[attendee] ?? 0) > 0 {
                        open[attendee] = 0
                        people[person, default: 0] -= 1
                        if people[person] == 0 { people[person] = nil }
                    }
                }
            }
            peak = max(peak, people.count)
        }
        return peak
    }
}
