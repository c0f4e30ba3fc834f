/// The ids of the last `capacity` messages whose notices were all posted. A delivery of one of
/// them again — the broker redelivering after an ack it lost (a broker or connection restart), or
/// the receiver publishing an event twice — is acked without posting it twice. Kept in memory: a
/// notifier that restarts starts empty, so a redelivery after a notifier crash can still repeat a
/// post (at least once, never lost).
public struct RecentlyPosted: Sendable {
    private var ring: [String?]
    private var members: Set<String> = []
    private var next = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        ring = Array(repeating: nil, count: capacity)
    }

    public func contains(_ id: String) -> Bool { members.contains(id) }

    /// Remembers `id`, forgetting the oldest one when full.
    public mutating func insert(_ id: String) {
        guard members.insert(id).inserted else { return }
        if let oldest = ring[next] { members.remove(oldest) }
        ring[next] = id
        next = (next + 1) % ring.count
    }
}
