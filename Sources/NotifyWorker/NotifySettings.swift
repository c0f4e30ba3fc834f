import Foundation
import LookoutCore
import Notifier
import ZoomModel

/// What `lookout work notify` needs, read from `LOOKOUT_NOTIFY_*` keys and the rules file they
/// name. Every problem names its key (and, in the rules file, its field).
public struct NotifySettings: Sendable {
    typealias Key = ConfigurationKeys.Notify
    /// Bound when LOOKOUT_NOTIFY_EVENTS is not set; unbound when it is set without them.
    public static let defaultEvents = Key.defaultEvents

    public var rules: NotifyRules
    public var events: [String]
    public var pseudonyms: Pseudonyms?
    public var prefetch: Int
    public var requestTimeout: Duration
    public var worker = NotifyWorker.Options()

    public init(configuration: Configuration) throws(ConfigurationError) {
        events = try configuration.value(Key.events)
        guard !events.isEmpty else { throw ConfigurationError(key: Key.events.name, problem: "name at least one event") }
        // The product's one time zone (issue 15); the notifier's old key still serves it.
        let timeZone = try TimeZoneSetting.read(configuration, preferring: Key.formerTimeZone)
        pseudonyms = try PseudonymKey.read(configuration).map(Pseudonyms.init(key:))
        prefetch = try configuration.value(Key.prefetch)
        requestTimeout = try configuration.value(Key.timeout)
        worker.outbox.window = try configuration.value(Key.window)
        let initial = try configuration.value(Key.retryInitial)
        let maximum = try configuration.value(Key.retryMaximum)
        guard maximum >= initial else {
            throw ConfigurationError(key: Key.retryMaximum.name, problem: "must not be below \(Key.retryInitial.name)")
        }
        worker.outbox.retry = RetryPolicy(initial: initial, maximum: maximum, attempts: try configuration.value(Key.maxAttempts))

        let path = try configuration.value(Key.rules)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(key: Key.rules.name, problem: "cannot read \(path)")
        }
        let context = NotifyRules.Context(
            variable: { configuration.variable($0) },
            readFile: { try? String(contentsOfFile: $0, encoding: .utf8) },
            timeZone: timeZone,
            maxNames: try configuration.value(Key.maxNames),
            hasPseudonymKey: pseudonyms != nil)
        do {
            rules = try NotifyRules.parse(Array(data), context: context)
        } catch {
            throw ConfigurationError(key: Key.rules.name, problem: "\(path): \(error)")
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
