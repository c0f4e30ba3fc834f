import ArgumentParser
import Broker
import MongoStorage
import Foundation
import Logging
import LookoutCore
import CurlHTTP
import Projections
import Reconciliation
import ServiceLifecycle
import ZoomAPI
import ZoomModel

/// `lookout work reconcile`: ended meetings checked against Zoom's own record, all the time.
struct ReconcileWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Fill in the joins and leaves Zoom's webhooks missed, from Zoom's record of each ended meeting.",
        discussion: """
        Every LOOKOUT_RECONCILE_INTERVAL_MS, takes the meeting instances that ended at least \
        LOOKOUT_RECONCILE_DELAY_MS ago (or went silent for LOOKOUT_RECONCILE_SILENCE_MS without an end), \
        fetches their participants from Zoom's Dashboard API (Report API without a dashboard), publishes \
        what the projections lack (source reconcile) and records each instance's collection quality. \
        Run one replica. \(keysHelp(ConfigurationKeys.Backfill.keys + ConfigurationKeys.Reconcile.keys + [ConfigurationKeys.Shared.mongoURI.info, ConfigurationKeys.Shared.amqpURL.info])) See docs/reconciliation.md.
        """)

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let logger = Environment.logger("reconcile")
            let (reconciler, store, publisher) = try await environment.reconciler(logger: logger)
            let worker = ReconcileWorker(reconciler: reconciler, store: store, options: try environment.reconcileOptions(), logger: logger)
            let group = ServiceGroup(services: try environment.metricsServices(logger: logger) + [publisher, worker],
                                     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}

/// `lookout reconcile --meeting UUID`: one instance, now.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Reconcile one ended meeting instance with Zoom's record now (see `lookout work reconcile`).",
        discussion: "Prints what was filled in. A second run adds nothing. Exit code 65 for an instance the projections do not know.")

    @Option(name: .customLong("meeting"), help: "The meeting instance's UUID (as `lookout.json` and /api/meetings list it).")
    var instance: String

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let logger = Environment.logger("reconcile")
            let (reconciler, store, publisher) = try await environment.reconciler(logger: logger)
            guard let meeting = try await store.meeting(instance: instance) else {
                throw Failure.input("no meeting instance \(instance) in the projections (see /api/meetings)")
            }
            let publishing = Task { await publisher.run() }
            defer { publishing.cancel() }
            let quality: CollectionQuality
            do { quality = try await reconciler.reconcile(meeting) } catch {
                throw Failure.unavailable("\(error) (nothing was recorded: run again)")
            }
            print("reconciled \(instance) with Zoom's \(quality.source) record: \(quality.sessionsSeen) sessions known, "
                  + "\(quality.sessionsFilled) filled in (\(quality.factsFilled) joins and leaves), \(quality.conflicts) conflicting")
        }
    }
}

/// Zoom's API as reconciliation reads it.
struct ZoomParticipantRecords: ZoomRecordSource {
    let history: MeetingHistory

    func participants(instance: String) async throws -> (records: [ZoomEvent.Participant], source: String) {
        let answer = try await history.participantRecords(meetingUUID: instance)
        return (answer.participants, answer.source.rawValue)
    }
}

extension Environment {
    /// The reconciler: Zoom's API through the client every command shares (rate classes, the daily
    /// budget counted in MongoDB), the projections' store, a confirmed publisher.
    func reconciler(logger: Logger) async throws -> (Reconciler, MongoReconcileStore, ConfirmedPublisher) {
        let database = try database()
        let (client, accountID) = try zoomAPIClient(database: database, logger: logger)
        let store = MongoReconcileStore(database: database)
        do { try await store.prepare() } catch { throw Failure.unavailable("\(error)") }
        let publisher = ConfirmedPublisher(endpoints: try brokerEndpoints(), topology: try topology(), logger: logger)
        let reconciler = Reconciler(records: ZoomParticipantRecords(history: MeetingHistory(client: client)), store: store,
                                    publisher: publisher, accountID: accountID, tolerance: try reconcileTolerance(), logger: logger)
        return (reconciler, store, publisher)
    }

    /// LOOKOUT_RECONCILE_TOLERANCE_MS: how far apart two times of one person's join (or leave) are a conflict, not two sessions.
    func reconcileTolerance() throws -> Duration {
        try configured { () throws(ConfigurationError) in try configuration.value(ConfigurationKeys.Reconcile.tolerance) }
    }

    func reconcileOptions() throws -> ReconcileWorker.Options {
        typealias Key = ConfigurationKeys.Reconcile
        return try configured { () throws(ConfigurationError) in
            var options = ReconcileWorker.Options()
            options.delay = try configuration.value(Key.delay)
            options.silence = try configuration.value(Key.silence)
            options.interval = try configuration.value(Key.interval)
            return options
        }
    }
}
