/// Which read keeps the export table current: everything at the first read and then every
/// `fullReadEvery` milliseconds, else the documents changed since the previous read began, less
/// `overlap` milliseconds. A document is stamped just before it is written, so one being written
/// while the previous read ran carries a time before that read began; the overlap covers that
/// write's duration and the clock difference between replicas (documents read twice do no harm).
/// The periodic full read repairs anything a longer write or a rebuild hid from the change reads.
public struct ChangeCursor: Sendable, Equatable {
    public let overlap: Int64
    public let fullReadEvery: Int64
    private var lastFullRead: BSONDate?
    private var lastRead: BSONDate?

    public init(overlapMilliseconds: Int64, fullReadEveryMilliseconds: Int64) {
        overlap = overlapMilliseconds
        fullReadEvery = fullReadEveryMilliseconds
    }

    /// The read to do when starting one at `now`: nil for everything, else changes at or after the date.
    public func since(now: BSONDate) -> BSONDate? {
        guard let lastFullRead, let lastRead, now.milliseconds - lastFullRead.milliseconds < fullReadEvery else { return nil }
        return BSONDate(milliseconds: lastRead.milliseconds - overlap)
    }

    /// A read that began at `startedAt` succeeded (`full` when it read everything).
    public mutating func didRead(startedAt: BSONDate, full: Bool) {
        lastRead = startedAt
        if full { lastFullRead = startedAt }
    }
}
