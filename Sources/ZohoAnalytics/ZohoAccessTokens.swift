import Foundation
import CurlHTTP

/// The access token for Zoho's API: refreshed from the refresh-token grant and cached in memory
/// (Zoho limits how many access tokens a refresh token may mint in a short time, so never one per
/// request), renewed 5 minutes before its hour is up and once more when the API answers 401; or a
/// static token, used as it is.
public struct ZohoAccessTokens: Sendable {
    public static let renewEarly: TimeInterval = 300

    private enum Source: Sendable {
        case fixed(String)
        case refreshed(OAuthTokenCache)
    }

    private let source: Source

    public init(_ authorization: ZohoAuthorization, transport: any HTTPTransport,
                now: @escaping @Sendable () -> Date = Date.init) {
        switch authorization {
        case .accessToken(let token):
            source = .fixed(token)
        case .refreshToken(let client):
            source = .refreshed(OAuthTokenCache(renewEarly: Self.renewEarly, now: now) {
                try await ZohoTokenRefresh.grant(client, transport: transport)
            })
        }
    }

    /// Whether a refused token can be replaced by a new one.
    public var canRenew: Bool {
        if case .refreshed = source { return true }
        return false
    }

    /// Throws `ZohoError.authorizationRefused` (final) or `ZohoTransientFailure` (retry later).
    func current() async throws -> String {
        switch source {
        case .fixed(let token): return token
        case .refreshed(let cache): return try await cache.current()
        }
    }

    func invalidate(_ token: String) async {
        if case .refreshed(let cache) = source { await cache.invalidate(token) }
    }
}

/// `POST https://accounts.zoho.<dc>/oauth/v2/token`, form `refresh_token, client_id,
/// client_secret, grant_type=refresh_token` → `{access_token, expires_in, api_domain, token_type}`.
enum ZohoTokenRefresh {
    private struct Answer: Decodable {
        let access_token: String?
        let expires_in: Int?
        /// Older Zoho services send `expires_in` in milliseconds and the seconds here.
        let expires_in_sec: Int?
        let error: String?
        let error_description: String?
    }

    static func request(_ client: ZohoOAuthClient) -> OutboundRequest {
        let form = FormEncoding.encode([("refresh_token", client.refreshToken), ("client_id", client.clientID),
                                        ("client_secret", client.clientSecret), ("grant_type", "refresh_token")])
        return OutboundRequest(url: client.tokenURL, method: "POST",
                               headers: [("Content-Type", "application/x-www-form-urlencoded")],
                               body: Array(form.utf8), timeout: .seconds(30))
    }

    static func grant(_ client: ZohoOAuthClient, transport: any HTTPTransport) async throws -> OAuthGrant {
        let response: OutboundResponse
        do { response = try await transport.send(request(client)) } catch {
            throw ZohoTransientFailure(description: "token refresh: \(error)")
        }
        return try grant(status: response.status, body: response.body)
    }

    /// Zoho answers a refused grant with 200 and an `error` (`invalid_client`, `invalid_code` for
    /// a revoked refresh token), or with 400; too many refreshes in a short time is "Access Denied"
    /// (Zoho's OAuth notes; not seen here), worth another try later.
    static func grant(status: Int, body: [UInt8]) throws -> OAuthGrant {
        if status == 429 || status >= 500 { throw ZohoTransientFailure(description: "token refresh answered \(status)") }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(body))
        if let error = answer?.error {
            let why = [error, answer?.error_description].compactMap { $0 }.joined(separator: ": ")
            if error.caseInsensitiveCompare("Access Denied") == .orderedSame { throw ZohoTransientFailure(description: "token refresh: \(why)") }
            throw ZohoError.authorizationRefused("token refresh at the accounts server: \(why)")
        }
        guard status == 200, let token = answer?.access_token, !token.isEmpty else {
            throw ZohoError.authorizationRefused("token refresh answered \(status) without access_token: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        let seconds = answer?.expires_in_sec ?? answer?.expires_in ?? 3600
        return OAuthGrant(accessToken: token, lifetime: TimeInterval(seconds))
    }
}
