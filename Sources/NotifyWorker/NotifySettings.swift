import Foundation
import LookoutCore
import Notifier
import ZoomModel

/// What `lookout work notify` needs, read from `LOOKOUT_NOTIFY_*` keys and the rules file they
/// name. Every problem names its key (and, in the rules file, its field).
public struct NotifySettings: Sendable {
    /// Bound when LOOKOUT_NOTIFY_EVENTS is not set; unbound when it is set without them.
    public static let defaultEvents = [
        "meeting.participant_joined", "meeting.participant_left",
        "meeting.started", "meeting.ended",
        "meeting.sharing_started", "meeting.sharing_ended",
        "meeting.participant_joined_waiting_room", "meeting.participant_admitted",
        "meeting.alert", "lookout.incident.#", "lookout.reconcile.repaired",
    ]

    public var rules: NotifyRules
    public var events: [String]
    public var pseudonyms: Pseudonyms?
    public var prefetch: Int
    public var requestTimeout: Duration
    public var worker = NotifyWorker.Options()

    public init(configuration: Configuration) throws(ConfigurationError) {
        let list = configuration.string("LOOKOUT_NOTIFY_EVENTS", default: Self.defaultEvents.joined(separator: ","))
        events = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !events.isEmpty else { throw ConfigurationError(key: "LOOKOUT_NOTIFY_EVENTS", problem: "name at least one event") }
        // The product's one time zone (issue 15); the notifier's old key still serves it.
        let timeZone = try TimeZoneSetting.read(configuration, preferring: "LOOKOUT_NOTIFY_TIME_ZONE")
        pseudonyms = try PseudonymKey.read(configuration).map(Pseudonyms.init(key:))
        prefetch = try configuration.int("LOOKOUT_NOTIFY_PREFETCH", default: 500, range: 1...10_000)
        requestTimeout = try configuration.milliseconds("LOOKOUT_NOTIFY_TIMEOUT_MS", default: 10_000, range: 100...120_000)
        worker.outbox.window = try configuration.milliseconds("LOOKOUT_NOTIFY_WINDOW_MS", default: 3000, range: 0...60_000)
        let attempts = try configuration.int("LOOKOUT_NOTIFY_MAX_ATTEMPTS", default: 15, range: 1...100)
        let initial = try configuration.milliseconds("LOOKOUT_NOTIFY_RETRY_INITIAL_MS", default: 2000, range: 100...60_000)
        let maximum = try configuration.milliseconds("LOOKOUT_NOTIFY_RETRY_MAX_MS", default: 600_000, range: 1000...3_600_000)
        guard maximum >= initial else {
            throw ConfigurationError(key: "LOOKOUT_NOTIFY_RETRY_MAX_MS", problem: "must not be below LOOKOUT_NOTIFY_RETRY_INITIAL_MS")
        }
        worker.outbox.retry = RetryPolicy(initial: initial, maximum: maximum, attempts: attempts)

        guard let path = configuration.optionalString("LOOKOUT_NOTIFY_RULES") else {
            throw ConfigurationError(key: "LOOKOUT_NOTIFY_RULES", problem: "required: the path of the routing rules file (see ops/notify-rules.example.json)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(key: "LOOKOUT_NOTIFY_RULES", problem: "cannot read \(path)")
        }
        let context = NotifyRules.Context(
            variable: { configuration.optionalString($0) },
            readFile: { try? String(contentsOfFile: $0, encoding: .utf8) },
            timeZone: timeZone,
            maxNames: try configuration.int("LOOKOUT_NOTIFY_MAX_NAMES", default: 10, range: 1...100),
            hasPseudonymKey: pseudonyms != nil)
        do {
            rules = try NotifyRules.parse(Array(data), context: context)
        } catch {
            throw ConfigurationError(key: "LOOKOUT_NOTIFY_RULES", problem: "\(path): \(error)")
        }
    }

    /// The notify queue as these settings want it: bound to the configured events (and unbound
    /// from default ones left out), one delay queue per retry step, one active consumer at a time.
    public func workQueue(in layout: QueueLayout) -> WorkQueue {
        WorkQueue(name: layout.notifyQueue, bindings: events, retiredBindings: Self.defaultEvents,
                  retryDelays: worker.outbox.retry.steps, singleActiveConsumer: true)
    }

    public var planner: NoticePlanner { NoticePlanner(rules: rules, events: events, pseudonyms: pseudonyms) }
}
