import Foundation

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
    /// 400/403 and other refusals Zoom will repeat (plan without the Dashboard API, missing scope, bad range).
    case rejected(status: Int, code: Int?, message: String)
    case notFound(path: String)
    /// Still 429 after every retry (the HEAVY daily cap, or a storm that did not pass).
    case rateLimited
    /// 5xx or network failures that outlasted the retries.
    case unavailable(String)
    case unexpectedResponse(String)

    public var description: String {
        switch self {
        case .authenticationFailed(let status, let message): "Zoom OAuth refused the credentials (\(status)): \(message)"
        case .unauthorized(let message): "Zoom API refused a fresh token (401): \(message)"
        case .rejected(let status, let code, let message): "Zoom API refused the request (\(status)\(code.map { ", code \($0)" } ?? "")): \(message)"
        case .notFound(let path): "Zoom API: not found: \(path)"
        case .rateLimited: "Zoom API: still rate limited (429) after every retry"
        case .unavailable(let why): "Zoom API unavailable: \(why)"
        case .unexpectedResponse(let why): "Zoom API: unexpected response: \(why)"
        }
    }
}
