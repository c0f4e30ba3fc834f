import Foundation
import Logging
import LookoutCore
import Projections
import ServiceLifecycle
import ZoomModel

/// `lookout work reconcile`: every `interval`, reconciles the instances that ended at least
/// `delay` ago (Zoom needs time to finish its report) or went silent for `silence` without an end
/// (a `meeting.ended` Zoom never delivered). A failed instance waits with backoff before its next
/// attempt; the others go on. Runs beside the webhook path, never in it: Zoom's API budget and
/// outages only delay reconciliation.
public struct ReconcileWorker: Service {
    public struct Options: Sendable {
        public var delay = ConfigurationKeys.Reconcile.delay.defaultValue
        public var silence = ConfigurationKeys.Reconcile.silence.defaultValue
        public var interval = ConfigurationKeys.Reconcile.interval.defaultValue
        /// Instances reconciled per sweep at most.
        public var batch = 50
        public var retry = RetryPolicy(initial: .seconds(60), maximum: .seconds(3600))
        public init() {}
    }

    private let reconciler: Reconciler
    private let store: any ReconcileStore
    private let options: Options
    private let logger: Logger

    public init(reconciler: Reconciler, store: any ReconcileStore, options: Options = .init(), logger: Logger) {
        self.reconciler = reconciler
        self.store = store
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        var failures = FailureBook(retry: options.retry)
        logger.info("reconcile worker ready", metadata: ["delay": "\(options.delay)", "silence": "\(options.silence)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await sweep(&failures)
            try? await Task.sleep(for: options.interval)
        }
    }

    /// One pass over the due instances; returns how many were reconciled.
    @discardableResult
    func sweep(_ failures: inout FailureBook, now: Date = Date()) async -> Int {
        let due: [ZoomEvent.Meeting]
        do {
            due = try await store.due(endedBefore: BSONDate(now - options.delay.timeInterval),
                                      silentBefore: BSONDate(now - options.silence.timeInterval), limit: options.batch)
        } catch {
            logger.warning("cannot read the instances due for reconciliation", metadata: ["error": "\(error)"])
            return 0
        }
        var done = 0
        for meeting in due where failures.mayTry(meeting.instance, now: .now) {
            guard !Task.isShuttingDownGracefully else { break }
            do {
                try await reconciler.reconcile(meeting, now: now)
                failures.succeeded(meeting.instance)
                done += 1
            } catch {
                let wait = failures.failed(meeting.instance, now: .now)
                logger.warning("reconciliation failed, retrying later", metadata: [
                    "instance": "\(meeting.instance)", "error": "\(error)", "retry_in": "\(wait)"])
            }
        }
        return done
    }
}

/// Which instances failed, and when each may be tried again. Pure; the clock is passed in.
struct FailureBook: Sendable {
    let retry: RetryPolicy
    private var entries: [String: (attempts: Int, notBefore: ContinuousClock.Instant)] = [:]

    init(retry: RetryPolicy) { self.retry = retry }

    func mayTry(_ instance: String, now: ContinuousClock.Instant) -> Bool {
        entries[instance].map { now >= $0.notBefore } ?? true
    }

    mutating func failed(_ instance: String, now: ContinuousClock.Instant) -> Duration {
        let attempts = entries[instance]?.attempts ?? 0
        let wait = retry.delay(attempt: attempts)
        entries[instance] = (attempts + 1, now + wait)
        return wait
    }

    mutating func succeeded(_ instance: String) { entries[instance] = nil }
}
