import Crypto
import Foundation

/// Who may see the full view (real names, whatever the export privacy settings): a request
/// carrying one of the configured tokens, as `Authorization: Bearer <token>` or as the password of
/// HTTP basic auth (any user name, so a browser can ask for it).
///
/// The header is read here, not by hummingbird-auth's `HTTPFields.bearer` / `.basic`: its basic
/// parser splits `user:password` omitting empty pieces, so `:token` — what a browser sends when
/// the user name is left empty, which "any user name" allows — reads as no credentials, and it
/// matches the schemes case-sensitively (`bearer` is refused, RFC 9110 §11.1 says schemes are not
/// case-sensitive). Taking it would need a second parser for those cases; these 15 lines are one.
struct FullViewAccess: Sendable {
    private let digests: [[UInt8]]

    init(tokens: [String]) {
        digests = tokens.map { Array(SHA256.hash(data: Data($0.utf8))) }
    }

    var isEnabled: Bool { !digests.isEmpty }

    func allows(authorization: String?) -> Bool {
        guard let presented = authorization.flatMap(Self.token) else { return false }
        // Digests have one length whatever the token's, swift-crypto compares them in constant
        // time, and every token is compared: the time taken tells nothing about which matched.
        let digest = SHA256.hash(data: Data(presented.utf8))
        return digests.reduce(false) { matched, expected in (digest == expected) || matched }
    }

    /// The token in a bearer or basic `Authorization` header.
    static func token(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "bearer":
            return value
        case "basic":
            guard let data = Data(base64Encoded: value), let pair = String(data: data, encoding: .utf8),
                  let colon = pair.firstIndex(of: ":") else { return nil }
            return String(pair[pair.index(after: colon)...])
        default:
            return nil
        }
    }
}
