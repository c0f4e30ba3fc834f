import Foundation
import LookoutCore
import Metrics

/// One consumer connection's view of its deliveries: reads them, and turns settlements into the
/// fewest acks. Lives on the consumer thread only.
struct ConsumerChannel {
    let connection: AMQPConnection
    let generation: UInt64
    let queue: String
    /// Delivered and not yet settled, ascending.
    private var unsettled: [UInt64] = []

    init(connection: AMQPConnection, generation: UInt64, queue: String) {
        self.connection = connection
        self.generation = generation
        self.queue = queue
    }

    /// `lookout_deliveries_total{queue, outcome}`: received, acked, dead_lettered, requeued.
    private func count(_ outcome: String, _ amount: Int) {
        guard amount > 0 else { return }
        Counter(label: "lookout_deliveries_total", dimensions: [("queue", queue), ("outcome", outcome)]).increment(by: Int64(amount))
    }

    mutating func receiveAvailable(limit: Int) throws(BrokerError) -> [Delivery] {
        var deliveries: [Delivery] = []
        defer { connection.releaseBuffers() }
        while deliveries.count < limit, let message = try connection.consumeNow() {
            unsettled.append(message.deliveryTag)
            deliveries.append(Delivery(
                tag: DeliveryTag(connection: generation, value: message.deliveryTag),
                routingKey: message.routingKey,
                body: message.body,
                messageID: message.messageID,
                timestamp: message.timestamp,
                source: message.source.flatMap(EventSource.init(rawValue:)),
                redelivered: message.redelivered,
                headers: message.headers))
        }
        count("received", deliveries.count)
        return deliveries
    }

    /// Sends settlements for this connection; those for an earlier connection are moot (the broker
    /// already requeued those deliveries) and are dropped.
    mutating func send(_ settlements: [(DeliveryTag, Settlement)]) throws(BrokerError) {
        var acks: Set<UInt64> = []
        for (tag, settlement) in settlements where tag.connection == generation {
            switch settlement {
            case .ack:
                acks.insert(tag.value)
            case .deadLetter:
                try connection.reject(tag.value, requeue: false)
                unsettled.removeAll { $0 == tag.value }
                count("dead_lettered", 1)
            case .requeue:
                try connection.reject(tag.value, requeue: true)
                unsettled.removeAll { $0 == tag.value }
                count("requeued", 1)
            }
        }
        guard !acks.isEmpty else { return }
        count("acked", acks.count)
        // The longest prefix of unsettled tags being acked goes in one `multiple` ack.
        let prefix = unsettled.prefix { acks.contains($0) }
        if let last = prefix.last {
            try connection.ack(last, multiple: true)
            acks.subtract(prefix)
            unsettled.removeFirst(prefix.count)
        }
        for tag in acks.sorted() {
            try connection.ack(tag, multiple: false)
            unsettled.removeAll { $0 == tag }
        }
    }
}
