/// How `lookout config check` shows a value without giving a secret away.
public enum ConfigurationDisplay {
    /// Keys whose value is a secret even when no code has said so yet.
    static let secretMarkers = ["TOKEN", "SECRET", "SALT", "PASSWORD", "PSEUDONYM_KEY"]

    public static func isSecret(_ key: String) -> Bool {
        !key.hasSuffix("_FILE") && secretMarkers.contains { key.contains($0) }
    }

    /// A secret becomes `(hidden, N values)`; a URL keeps everything but its password (each URL
    /// of a comma-separated list); anything else is shown as it is.
    public static func masked(_ value: String, key: String, secret: Bool = false) -> String {
        if secret || isSecret(key) {
            let count = value.split(whereSeparator: { $0 == "," || $0.isNewline }).count
            return count > 1 ? "(hidden, \(count) values)" : "(hidden)"
        }
        guard value.contains("://") else { return value }
        return value.split(separator: ",", omittingEmptySubsequences: false).map { withoutPassword(String($0)) }.joined(separator: ",")
    }

    /// `scheme://user:password@host/...` → `scheme://user:****@host/...`.
    static func withoutPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<rest.index(after: colon)]) + "****" + String(rest[at...])
    }
}
