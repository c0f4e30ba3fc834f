import Foundation

/// The one time zone of the product: the dashboard's times and periods (what "today" means), the
/// dashboard CSV's times, and Mattermost notices. Before issue 15 the exports and the notifier each
/// had a key of their own; those are still read, when the new one is unset, with a warning.
public enum TimeZoneSetting {
    public static let current = ConfigurationKeys.Shared.timeZone
    public static let former = [ConfigurationKeys.Export.formerTimeZone, ConfigurationKeys.Notify.formerTimeZone]
    public static var name: String { current.name }
    public static var deprecatedNames: [String] { former.map(\.name) }

    /// `LOOKOUT_TIME_ZONE`, else the old key `preferring` (the reader's own), else any old one, else UTC.
    public static func read(_ configuration: Configuration, preferring old: Setting<TimeZone?>? = nil)
        throws(ConfigurationError) -> TimeZone {
        let order = [current] + (old.map { [$0] } ?? []) + former.filter { $0.name != old?.name }
        for setting in order {
            if let zone = try configuration.value(setting) { return zone }
        }
        return .gmt
    }

    /// What to warn about at start-up: an old name read in place of `name`, or ignored beside it.
    public static func warning(_ configuration: Configuration) -> String? {
        let set = former.filter(configuration.isSet)
        guard !set.isEmpty else { return nil }
        let names = set.map(\.name).joined(separator: " and ") + (set.count == 1 ? " is" : " are")
        if configuration.isSet(current) { return "\(names) deprecated and ignored: \(name) is set" }
        if set.count == 2, (try? configuration.value(set[0])) != (try? configuration.value(set[1])) {
            return "\(names) deprecated and differ: each process keeps its own until \(name), the one time zone of the dashboard, the exports and Mattermost, is set"
        }
        return "\(names) deprecated: set \(name), the one time zone of the dashboard, the exports and Mattermost"
    }
}
