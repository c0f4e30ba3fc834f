import Foundation
import Logging
import LookoutCore
import ServiceLifecycle
import Spool

/// Republishes spooled events once the broker is back, oldest first, many at a time so the
/// publisher batches their confirms, and deletes each only after its confirm.
public struct SpoolDrain: Service {
    private let spool: EventSpool
    private let publisher: any EventPublisher
    private let logger: Logger
    private let idle: Duration

    public init(spool: EventSpool, publisher: any EventPublisher, logger: Logger, idle: Duration = .milliseconds(500)) {
        self.spool = spool
        self.publisher = publisher
        self.logger = logger
        self.idle = idle
    }

    public func run() async {
        if spool.count > 0 {
            logger.notice("spool holds events from before the restart", metadata: ["events": "\(spool.count)"])
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if spool.count > 0, publisher.isConnected, await drainOnce() > 0 { continue }
            try? await Task.sleep(for: idle)
        }
    }

    /// Publishes one batch; returns how many were confirmed and removed.
    @discardableResult
    public func drainOnce(batch: Int = 200) async -> Int {
        let entries = await spool.oldest(batch)
        guard !entries.isEmpty else { return 0 }
        let confirmed = await withTaskGroup(of: Bool.self) { group in
            for entry in entries {
                group.addTask {
                    do {
                        try await publisher.publish(entry.message)
                        await spool.remove(entry)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        ReceiverMetrics.spoolDepth.record(spool.count)
        logger.info("spool drained", metadata: ["republished": "\(confirmed)", "left": "\(spool.count)"])
        return confirmed
    }
}
