/// Items with a deadline, by ticket: what is overdue at a given instant. Pure bookkeeping for
/// `BodyDeadlines`; no clock, no tasks.
struct DeadlineTable<Item> {
    private var entries: [UInt64: (deadline: ContinuousClock.Instant, item: Item)] = [:]
    private var nextTicket: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// Adds `item`; the ticket removes it again.
    mutating func insert(_ item: Item, deadline: ContinuousClock.Instant) -> UInt64 {
        nextTicket += 1
        entries[nextTicket] = (deadline, item)
        return nextTicket
    }

    mutating func remove(_ ticket: UInt64) {
        entries[ticket] = nil
    }

    /// Removes and returns every item whose deadline is at or before `now`.
    mutating func removeOverdue(now: ContinuousClock.Instant) -> [Item] {
        let overdue = entries.filter { $0.value.deadline <= now }
        for ticket in overdue.keys { entries[ticket] = nil }
        return overdue.values.map(\.item)
    }
}
