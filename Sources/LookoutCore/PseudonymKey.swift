/// The one secret behind every pseudonym (dashboard, exports, Mattermost), so a person has the
/// same pseudonym everywhere. Before issue 13 each process had its own key under its own name;
/// those names are still read, when the new one is unset, for one release.
public enum PseudonymKey {
    public static let name = "LOOKOUT_PSEUDONYM_KEY"
    public static let deprecatedNames = ["LOOKOUT_NOTIFY_PSEUDONYM_KEY", "LOOKOUT_EXPORT_PSEUDONYM_SALT"]
    public static let minimumLength = 16

    /// The key's bytes, or nil when none is set: the shared name first, else an old one.
    public static func read(_ configuration: Configuration) throws(ConfigurationError) -> [UInt8]? {
        for key in [name] + deprecatedNames {
            guard let value = try configuration.secret(key), !value.isEmpty else { continue }
            guard value.utf8.count >= minimumLength else {
                throw ConfigurationError(key: key, problem: "use at least \(minimumLength) characters")
            }
            return Array(value.utf8)
        }
        return nil
    }

    /// What to warn about at start-up: an old name read in place of `name`, or ignored beside it.
    public static func warning(_ configuration: Configuration) -> String? {
        func isSet(_ key: String) -> Bool { ((try? configuration.secret(key)) ?? nil) != nil }
        guard let old = deprecatedNames.first(where: isSet) else { return nil }
        return isSet(name)
            ? "\(old) (or _FILE) is deprecated and ignored: \(name) is set"
            : "\(old) (or _FILE) is deprecated: set \(name) (or _FILE), the one key of the dashboard, the exports and Mattermost"
    }
}
