/// The one secret behind every pseudonym (dashboard, exports, Mattermost), so a person has the
/// same pseudonym everywhere. Before issue 13 each process had its own key under its own name;
/// those names are still read, when the new one is unset, for one release.
public enum PseudonymKey {
    public static let name = "LOOKOUT_PSEUDONYM_KEY"
    public static let deprecatedNames = ["LOOKOUT_NOTIFY_PSEUDONYM_KEY", "LOOKOUT_EXPORT_PSEUDONYM_SALT"]
    public static let minimumLength = 16

    /// The key's bytes, or nil when none is set.
    public static func read(_ configuration: Configuration) throws(ConfigurationError) -> [UInt8]? {
        var found: (key: String, value: String)?
        for key in [name] + deprecatedNames {
            if let value = try configuration.secret(key), !value.isEmpty, found == nil { found = (key, value) }
        }
        guard let found else { return nil }
        guard found.value.count >= minimumLength else {
            throw ConfigurationError(key: found.key, problem: "use at least \(minimumLength) characters")
        }
        return Array(found.value.utf8)
    }

    /// The old name read instead of `name`, to warn about at start-up.
    public static func deprecatedNameInUse(_ configuration: Configuration) -> String? {
        func isSet(_ key: String) -> Bool { ((try? configuration.secret(key)) ?? nil) != nil }
        return isSet(name) ? nil : deprecatedNames.first(where: isSet)
    }
}
