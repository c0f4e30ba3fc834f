import LookoutCore
import Synchronization

/// The broker side of a worker (`DeliverySource`), in memory: hands out the batches it was given
/// or is pushed, one per `nextBatch`, in order, and records every settlement. With nothing
/// queued it waits, as a quiet queue does, until the next push or until the task is cancelled
/// (then it returns no deliveries, as `QueueConsumer` does when it closes).
public final class ScriptedSource: DeliverySource {
    private let pending: Mutex<[[Delivery]]>
    private let settled = Mutex<[(tag: DeliveryTag, settlement: Settlement)]>([])

    public init(_ batches: [[Delivery]] = []) { pending = Mutex(batches) }

    /// Queues one more batch, as the broker delivering while the worker runs.
    public func push(_ batch: [Delivery]) { pending.withLock { $0.append(batch) } }

    /// Batches queued and not yet taken by the worker.
    public var pendingBatches: Int { pending.withLock { $0.count } }

    public func nextBatch(max: Int) async -> [Delivery] {
        while !Task.isCancelled {
            if let batch = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return batch }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return []
    }

    public func settle(_ settlements: [(DeliveryTag, Settlement)]) {
        settled.withLock { $0.append(contentsOf: settlements.map { (tag: $0.0, settlement: $0.1) }) }
    }

    /// Every settlement so far, in the order the worker made them, by tag value (a tag settled
    /// twice appears twice).
    public var settlements: [(tag: UInt64, settlement: Settlement)] {
        settled.withLock { $0.map { (tag: $0.tag.value, settlement: $0.settlement) } }
    }

    /// The first settlement of each tag value. Compare `settlements.count` to tell a tag settled
    /// twice (a worker bug) from one settled once.
    public var byTag: [UInt64: Settlement] {
        Dictionary(settlements.map { ($0.tag, $0.settlement) }, uniquingKeysWith: { first, _ in first })
    }

    /// The full tags settled, with their connection: a settlement meant for a dead connection
    /// is told apart by it.
    public var settledTags: [DeliveryTag] { settled.withLock { $0.map(\.tag) } }
}
