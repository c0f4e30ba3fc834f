/// The one secret behind every pseudonym (dashboard, exports, Mattermost), so a person has the
/// same pseudonym everywhere. Before issue 13 each process had its own key under its own name;
/// those names are still read, when the new one is unset, for one release.
public enum PseudonymKey {
    public static let current = ConfigurationKeys.Shared.pseudonymKey
    public static let former = [ConfigurationKeys.Notify.formerPseudonymKey, ConfigurationKeys.Export.formerPseudonymSalt]
    public static var name: String { current.name }
    public static var deprecatedNames: [String] { former.map(\.name) }
    public static let minimumLength = 16

    /// The key's bytes, or nil when none is set: the shared name first, else an old one.
    public static func read(_ configuration: Configuration) throws(ConfigurationError) -> [UInt8]? {
        for setting in [current] + former {
            guard let value = try configuration.value(setting) else { continue }
            guard value.utf8.count >= minimumLength else {
                throw ConfigurationError(key: setting.name, problem: "use at least \(minimumLength) characters")
            }
            return Array(value.utf8)
        }
        return nil
    }

    /// What to warn about at start-up: an old name read in place of `name`, or ignored beside it.
    public static func warning(_ configuration: Configuration) -> String? {
        guard let old = former.first(where: configuration.isSet)?.name else { return nil }
        return configuration.isSet(current)
            ? "\(old) (or _FILE) is deprecated and ignored: \(name) is set"
            : "\(old) (or _FILE) is deprecated: set \(name) (or _FILE), the one key of the dashboard, the exports and Mattermost"
    }
}
