import ZoomModel

/// Whose names a public export shows: only those on the allow-list (when one is set), and
/// optionally replaced by stable pseudonyms (the scheme Mattermost routes use too).
public struct ExportPrivacy: Sendable, Equatable {
    public var allowedNames: Set<String>
    public var pseudonyms: Pseudonyms?

    public init(allowedNames: [String] = [], pseudonyms: Pseudonyms? = nil) {
        self.allowedNames = Set(allowedNames.map(Identity.normalizedName))
        self.pseudonyms = pseudonyms
    }

    public static let everyone = ExportPrivacy()

    public var pseudonymize: Bool { pseudonyms != nil }

    /// The name to show, or nil when this person must not appear.
    public func displayName(_ name: String) -> String? {
        guard allowedNames.isEmpty || allowedNames.contains(Identity.normalizedName(name)) else { return nil }
        return pseudonyms?.name(for: name) ?? name
    }
}
