import Foundation
import Logging
import LookoutCore
import ServiceLifecycle
import Synchronization

/// Consumes one work queue with manual acks and a prefetch, from one dedicated thread.
///
/// Deliveries collect in a buffer; a worker takes everything available at once with `nextBatch`,
/// so batches grow with load without any timer. Settlements go back to the thread, which sends
/// them before reading more, and acks a contiguous run with one `multiple` ack.
public final class QueueConsumer: DeliverySource, Service, Sendable {
    public struct Options: Sendable {
        public var prefetch: UInt16 = 500
        public var reconnect = RetryPolicy(initial: .milliseconds(250), maximum: .seconds(5))
        public init() {}
    }

    private struct Shared {
        var buffer: [Delivery] = []
        var waiter: CheckedContinuation<[Delivery], Never>?
        var waiterMax = 0
        var settlements: [(DeliveryTag, Settlement)] = []
        var connection: UInt64 = 0
        var connected = false
        var stopping = false
    }

    private let endpoints: AMQPEndpoints
    private let queue: String
    private let topology: Topology
    private let options: Options
    private let logger: Logger
    private let shared = Mutex(Shared())
    private let wake = WakeSignal()

    /// `endpoints`: the nodes of one cluster, tried in turn on every (re)connect.
    public init(endpoints: AMQPEndpoints, queue: String, topology: Topology, options: Options = .init(), logger: Logger) {
        self.endpoints = endpoints
        self.queue = queue
        self.topology = topology
        self.options = options
        self.logger = logger
    }

    public convenience init(url: AMQPURL, queue: String, topology: Topology, options: Options = .init(), logger: Logger) {
        self.init(endpoints: AMQPEndpoints(url), queue: queue, topology: topology, options: options, logger: logger)
    }

    public var isConnected: Bool { shared.withLock { $0.connected } }

    public func nextBatch(max: Int) async -> [Delivery] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[Delivery], Never>) in
                let ready: [Delivery]? = shared.withLock { shared in
                    if !shared.buffer.isEmpty { return Self.take(&shared.buffer, max: max) }
                    if shared.stopping || Task.isCancelled { return [] }
                    shared.waiter = continuation
                    shared.waiterMax = max
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = shared.withLock { shared in
                defer { shared.waiter = nil }
                return shared.waiter
            }
            waiter?.resume(returning: [])
        }
    }

    public func settle(_ settlements: [(DeliveryTag, Settlement)]) {
        guard !settlements.isEmpty else { return }
        shared.withLock { $0.settlements.append(contentsOf: settlements) }
        wake.signal()
    }

    /// Consumes until graceful shutdown, then sends the settlements already made and closes the
    /// channel, so unsettled deliveries go back to the queue.
    public func run() async {
        await runOnDedicatedThread(name: "lookout-consumer", stop: { [self] in
            let waiter = shared.withLock { shared in
                shared.stopping = true
                defer { shared.waiter = nil }
                return shared.waiter
            }
            waiter?.resume(returning: [])
            wake.signal()
        }) { [self] in
            threadMain()
        }
    }

    private static func take(_ buffer: inout [Delivery], max: Int) -> [Delivery] {
        let count = Swift.min(max, buffer.count)
        defer { buffer.removeFirst(count) }
        return Array(buffer.prefix(count))
    }

    // MARK: The consuming thread

    private var isStopping: Bool { shared.withLock { $0.stopping } }

    private func threadMain() {
        let loop = ReconnectLoop(endpoints: endpoints, backoff: options.reconnect, wake: wake, isStopping: { [self] in isStopping })
        loop.run(open: { [topology, queue, options] (url: AMQPURL) throws(BrokerError) -> AMQPConnection in
            let connection = try AMQPConnection(url: url)
            try topology.declare(on: connection)
            try connection.startConsuming(queue: queue, prefetch: options.prefetch)
            return connection
        }, serve: { (connection: AMQPConnection, url: AMQPURL) throws(BrokerError) in
            let generation = shared.withLock { shared -> UInt64 in
                shared.connection += 1
                shared.connected = true
                // Deliveries of a dead connection will be redelivered: do not process them twice.
                shared.buffer.removeAll()
                shared.settlements.removeAll()
                return shared.connection
            }
            logger.info("consumer connected", metadata: ["queue": "\(queue)", "broker": "\(url)"])
            var channel = ConsumerChannel(connection: connection, generation: generation, queue: queue)
            try serve(&channel)
        }, ended: { end in
            switch end {
            case .unreachable(let error), .lost(let error):
                shared.withLock { $0.connected = false }
                logger.warning("consumer lost the broker", metadata: ["queue": "\(queue)", "error": "\(error)"])
            case .served: break
            }
        })
    }

    private func serve(_ channel: inout ConsumerChannel) throws(BrokerError) {
        while true {
            let (settlements, stopping) = shared.withLock { shared in
                defer { shared.settlements.removeAll(keepingCapacity: true) }
                return (shared.settlements, shared.stopping)
            }
            try channel.send(settlements)
            if stopping { return }
            let received = try channel.receiveAvailable(limit: Int(options.prefetch))
            if !received.isEmpty { deliver(received) }
            if channel.connection.hasBufferedInput { continue }
            _ = wake.wait(socket: channel.connection.socketDescriptor, timeout: .seconds(1))
        }
    }

    private func deliver(_ deliveries: [Delivery]) {
        let handOff = shared.withLock { shared -> (CheckedContinuation<[Delivery], Never>, [Delivery])? in
            shared.buffer.append(contentsOf: deliveries)
            guard let waiter = shared.waiter else { return nil }
            shared.waiter = nil
            return (waiter, Self.take(&shared.buffer, max: shared.waiterMax))
        }
        if let (waiter, batch) = handOff { waiter.resume(returning: batch) }
    }
}
