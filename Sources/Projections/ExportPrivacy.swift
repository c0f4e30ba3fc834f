import ZoomWebhooks

/// Whose names a public export shows: only those on the allow-list (when one is set), and
/// optionally replaced by stable pseudonyms.
public struct ExportPrivacy: Sendable, Equatable {
    public var allowedNames: Set<String>
    public var pseudonymize: Bool
    /// Makes pseudonyms specific to this installation, so they cannot be looked up elsewhere.
    public var salt: String

    public init(allowedNames: [String] = [], pseudonymize: Bool = false, salt: String = "") {
        self.allowedNames = Set(allowedNames.map(Self.normalized))
        self.pseudonymize = pseudonymize
        self.salt = salt
    }

    public static let everyone = ExportPrivacy()

    /// The name to show, or nil when this person must not appear.
    public func displayName(_ name: String) -> String? {
        guard allowedNames.isEmpty || allowedNames.contains(Self.normalized(name)) else { return nil }
        guard pseudonymize else { return name }
        return "Participant " + IdempotencyKey.of(Array((salt + "|" + Self.normalized(name)).utf8)).prefix(8)
    }

    static func normalized(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
