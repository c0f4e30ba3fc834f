import Foundation
import ZoomModel

/// A Server-to-Server OAuth app's credentials and where Zoom's endpoints are. The description
/// never shows the secret, so a credential printed or logged by mistake leaks nothing.
public struct ZoomCredentials: Sendable, CustomStringConvertible {
    public var accountID: String
    public var clientID: String
    public var clientSecret: String
    /// `https://api.zoom.us` (the `/v2` prefix is added per request).
    public var apiURL: String
    /// `https://zoom.us/oauth/token`.
    public var oauthURL: String

    public init(accountID: String, clientID: String, clientSecret: String,
                apiURL: String = "https://api.zoom.us", oauthURL: String = "https://zoom.us/oauth/token") {
        self.accountID = accountID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.oauthURL = oauthURL
    }

    public var description: String { "ZoomCredentials(account: \(accountID), client: \(clientID), secret: <redacted>)" }
}

public enum ZoomAPIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The OAuth endpoint refused the credentials (wrong id/secret/account, app not activated).
    case authenticationFailed(status: Int, message: String)
    /// 401 even with a freshly issued token: the app lacks a scope or was deactivated.
    case unauthorized(message: String)
    /// 400/403 and other refusals Zoom will repeat (a bad range, an unknown meeting).
    case rejected(status: Int, code: Int?, message: String)
    /// The token lacks these scopes (Zoom's code 4711): add them to the app.
    case missingScopes([String], message: String)
    /// The account's plan has no such feature (the Dashboard needs Business or higher).
    case planLacksFeature(path: String, message: String)
    case notFound(path: String)
    /// Still 429 after every retry: a per-second or per-minute storm that did not pass.
    case rateLimited
    /// Zoom answered that the account's daily cap is reached (every app's requests count): nothing
    /// more until `resumesAt` (Zoom's `Retry-After`, else the next UTC midnight).
    case dailyLimitReached(resumesAt: Date)
    /// This deployment's share of the daily cap (`LOOKOUT_ZOOM_DAILY_SHARE`) is used up until `resumesAt`.
    case dailyBudgetSpent(limit: Int, resumesAt: Date)
    /// 5xx or network failures that outlasted the retries.
    case unavailable(String)
    case unexpectedResponse(String)

    public var description: String {
        switch self {
        case .authenticationFailed(let status, let message): "Zoom OAuth refused the credentials (\(status)): \(message)"
        case .unauthorized(let message): "Zoom API refused a fresh token (401): \(message)"
        case .rejected(let status, let code, let message): "Zoom API refused the request (\(status)\(code.map { ", code \($0)" } ?? "")): \(message)"
        case .notFound(let path): "Zoom API: not found: \(path)"
        case .missingScopes(let scopes, let message):
            "the Zoom app's token lacks the scope\(scopes.count == 1 ? "" : "s") \(scopes.isEmpty ? "named by Zoom" : scopes.joined(separator: ", ")): add \(scopes.count == 1 ? "it" : "them") to the Server-to-Server OAuth app (Scopes) and run again (Zoom: \(message))"
        case .planLacksFeature(let path, let message): "Zoom API: the account's plan does not offer \(path) (Zoom: \(message))"
        case .rateLimited: "Zoom API: still rate limited (429) after every retry"
        case .dailyLimitReached(let at): "Zoom's daily limit for the account (shared by every app on it) is reached; requests resume at \(ZoomTime.format(at))"
        case .dailyBudgetSpent(let limit, let at):
            "Lookout's share of Zoom's daily limit (\(limit) requests, LOOKOUT_ZOOM_DAILY_SHARE) is used up; it resumes at \(ZoomTime.format(at))"
        case .unavailable(let why): "Zoom API unavailable: \(why)"
        case .unexpectedResponse(let why): "Zoom API: unexpected response: \(why)"
        }
    }
}
