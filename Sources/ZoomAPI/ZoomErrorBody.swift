import Foundation

/// Zoom's error answers: `{"code": 124, "message": "Invalid access token."}` (OAuth: `reason`).
enum ZoomErrorBody {
    struct Fields: Decodable {
        let code: Int?
        let message: String?
        let reason: String?
    }

    static func fields(_ body: [UInt8]) -> Fields? { try? JSONDecoder().decode(Fields.self, from: Data(body)) }

    static func message(_ body: [UInt8]) -> String {
        fields(body).flatMap { $0.message ?? $0.reason } ?? String(decoding: body.prefix(200), as: UTF8.self)
    }
}

/// What a refusal (400/401/403) means, from Zoom's code and message. A plan without the Dashboard
/// and a token without a scope both answer 400, so the body decides:
///
/// - **missing scope**: code 4711, or a message saying the token "does not contain scopes"
///   (`Invalid access token, does not contain scopes:[dashboard_meetings:read:admin].`); the
///   scopes are read from the brackets.
/// - **plan**: any other 400/403 whose message speaks of the plan or the feature: "plan",
///   "dashboard", "feature", "upgrade", "paid", "no permission". Zoom does not document this
///   message's wording; these words cover the answers reported for accounts below Business.
/// - anything else is a plain refusal (a bad range, an unknown meeting).
public enum ZoomRefusal: Sendable, Equatable {
    case missingScopes([String])
    case planLacksFeature
    case other

    public init(status: Int, code: Int?, message: String) {
        let lowered = message.lowercased()
        if code == 4711 || lowered.contains("does not contain scope") {
            self = .missingScopes(Self.scopes(in: message))
        } else if status == 400 || status == 403,
                  ["plan", "dashboard", "feature", "upgrade", "paid", "no permission"].contains(where: lowered.contains) {
            self = .planLacksFeature
        } else {
            self = .other
        }
    }

    /// `...scopes:[a:read:admin, b:read:admin].` → `["a:read:admin", "b:read:admin"]`.
    static func scopes(in message: String) -> [String] {
        guard let open = message.firstIndex(of: "["), let close = message[open...].firstIndex(of: "]") else { return [] }
        return message[message.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A 429's advice: Zoom's daily-limit answer ("You have reached the maximum daily rate limit for
/// this API", header `X-RateLimit-Type: Daily-limit`, `Retry-After: 2020-05-31T00:00:00Z`), or a
/// per-second/minute one, with `Retry-After` read as seconds, an ISO 8601 time or an HTTP date.
public struct RateLimitAnswer: Sendable, Equatable {
    public var daily: Bool
    public var retryAfter: Date?

    public init(headers: (String) -> String?, body: [UInt8], now: Date) {
        let message = ZoomErrorBody.message(body).lowercased()
        daily = message.contains("daily") || headers("X-RateLimit-Type")?.lowercased().hasPrefix("daily") == true
        retryAfter = headers("Retry-After").flatMap { Self.date($0, now: now) }
    }

    public static func date(_ text: String, now: Date) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds >= 0 { return now.addingTimeInterval(seconds) }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let http = DateFormatter()
        http.locale = Locale(identifier: "en_US_POSIX")
        http.timeZone = TimeZone(identifier: "GMT")
        http.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return http.date(from: text)
    }
}
