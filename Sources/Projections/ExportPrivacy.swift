import ZoomModel

/// Whose names a public export shows: only those on the allow-list (when one is set), and
/// optionally replaced by stable pseudonyms (the scheme Mattermost routes use too); or nobody's
/// (`namesWithheld`: counts only), the default until the operator chooses otherwise.
public struct ExportPrivacy: Sendable, Equatable {
    public var allowedNames: Set<String>
    public var pseudonyms: Pseudonyms?
    /// No name at all: rows that would name someone are left out, counts stay.
    public var namesWithheld: Bool

    public init(allowedNames: [String] = [], pseudonyms: Pseudonyms? = nil, namesWithheld: Bool = false) {
        self.allowedNames = Set(allowedNames.map(Identity.normalizedName))
        self.pseudonyms = pseudonyms
        self.namesWithheld = namesWithheld
    }

    public static let everyone = ExportPrivacy()
    public static let withheld = ExportPrivacy(namesWithheld: true)

    public var pseudonymize: Bool { pseudonyms != nil }

    /// A leave reason as this audience may read it: Zoom repeats the person's name in it ("Ada
    /// Lovelace left the meeting. Reason : …"), so it becomes the shown name, or "Someone".
    public func reason(_ reason: String, of name: String) -> String {
        guard !name.isEmpty, displayName(name) != name else { return reason }
        return reason.replacingOccurrences(of: name, with: displayName(name) ?? "Someone")
    }

    /// The name to show, or nil when this person must not appear.
    public func displayName(_ name: String) -> String? {
        guard !namesWithheld, allowedNames.isEmpty || allowedNames.contains(Identity.normalizedName(name)) else { return nil }
        return pseudonyms?.name(for: name) ?? name
    }
}
