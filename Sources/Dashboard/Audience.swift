import Crypto
import Foundation
import Projections
import Synchronization
import ZoomModel

/// Who is looking: the full view (every real name, behind the token) or the public, which sees
/// what the export privacy allows — pseudonyms, the allowed names, or no names at all (counts).
struct Audience: Sendable {
    let privacy: ExportPrivacy
    let isFull: Bool

    static let full = Audience(privacy: .everyone, isFull: true)

    var namesWithheld: Bool { privacy.namesWithheld }

    /// The name to show, or nil when this person is not named to this audience.
    func name(_ raw: String) -> String? { privacy.displayName(raw) }

    /// The key in a person page's URL: a pseudonym's code (`Participant 4F2A9C` → `4F2A9C`) on a
    /// pseudonymised view, else a digest of the normalised name, so no URL (and no proxy log)
    /// carries a real name. nil when the person is not named to this audience.
    func personKey(_ raw: String) -> String? {
        guard let shown = name(raw) else { return nil }
        if privacy.pseudonyms != nil { return String(shown.suffix(6)) }
        return PersonKeys.digest(Identity.normalizedName(raw))
    }
}

/// Person keys of every name seen, kept across projection versions (names do not change, and a
/// pseudonym costs an HMAC), to find the person behind a key.
final class PersonKeys: Sendable {
    private let known = Mutex<[String: String]>([:])

    static func digest(_ normalizedName: String) -> String {
        SHA256.hash(data: Data(normalizedName.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// The person (index in `data.people`) whose key, for this audience, is `key`.
    func person(_ key: String, in data: DashboardData, audience: Audience) -> Int? {
        let tag = audience.privacy.pseudonyms != nil ? "p|" : "d|"
        return known.withLock { known in
            for (index, name) in data.people.enumerated() {
                let cached = known[tag + name] ?? {
                    let made = audience.privacy.pseudonyms.map { String($0.name(for: name).suffix(6)) } ?? Self.digest(name)
                    known[tag + name] = made
                    return made
                }()
                if cached == key { return index }
            }
            return nil
        }
    }
}
