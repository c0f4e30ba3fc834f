import Foundation

/// The one time zone of the product: the dashboard's times and periods (what "today" means), the
/// dashboard CSV's times, and Mattermost notices. Before issue 15 the exports and the notifier each
/// had a key of their own; those are still read, when the new one is unset, with a warning.
public enum TimeZoneSetting {
    public static let name = "LOOKOUT_TIME_ZONE"
    public static let deprecatedNames = ["LOOKOUT_EXPORT_TIMEZONE", "LOOKOUT_NOTIFY_TIME_ZONE"]

    /// `LOOKOUT_TIME_ZONE`, else the old key `preferring` (the reader's own), else any old one, else UTC.
    public static func read(_ configuration: Configuration, preferring old: String? = nil) throws(ConfigurationError) -> TimeZone {
        let order = [name] + (old.map { [$0] } ?? []) + deprecatedNames.filter { $0 != old }
        guard let key = order.first(where: { configuration.optionalString($0)?.isEmpty == false }),
              let value = configuration.optionalString(key) else { return .gmt }
        guard let zone = TimeZone(identifier: value) else {
            throw ConfigurationError(key: key, problem: "unknown time zone \"\(value)\" (use an IANA name such as Europe/Paris)")
        }
        return zone
    }

    /// What to warn about at start-up: an old name read in place of `name`, or ignored beside it.
    public static func warning(_ configuration: Configuration) -> String? {
        let set = deprecatedNames.filter { configuration.optionalString($0)?.isEmpty == false }
        guard !set.isEmpty else { return nil }
        let names = set.joined(separator: " and ") + (set.count == 1 ? " is" : " are")
        if configuration.optionalString(name)?.isEmpty == false { return "\(names) deprecated and ignored: \(name) is set" }
        if set.count == 2, configuration.optionalString(set[0]) != configuration.optionalString(set[1]) {
            return "\(names) deprecated and differ: each process keeps its own until \(name), the one time zone of the dashboard, the exports and Mattermost, is set"
        }
        return "\(names) deprecated: set \(name), the one time zone of the dashboard, the exports and Mattermost"
    }
}
