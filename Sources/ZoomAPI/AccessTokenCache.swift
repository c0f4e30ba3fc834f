import Foundation
import CurlHTTP

/// Server-to-Server OAuth (`grant_type=account_credentials`): one token shared by every request,
/// renewed `renewEarly` before it expires (there is no refresh token) or when the API answered 401.
/// The caching is CurlHTTP's `OAuthTokenCache`, shared with the Zoho client.
struct AccessTokenCache: Sendable {
    private struct Grant: Decodable {
        let access_token: String
        let expires_in: Int
    }

    private let cache: OAuthTokenCache

    init(credentials: ZoomCredentials, transport: any HTTPTransport, renewEarly: TimeInterval = 60,
         now: @escaping @Sendable () -> Date = Date.init) {
        cache = OAuthTokenCache(renewEarly: renewEarly, now: now) {
            try await Self.request(credentials: credentials, transport: transport)
        }
    }

    /// A valid token; concurrent callers share one OAuth request.
    func current() async throws(ZoomAPIError) -> String {
        do {
            return try await cache.current()
        } catch let error as ZoomAPIError {
            throw error
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// Forgets `value` (the API refused it), so the next call asks for a new one.
    func invalidate(_ value: String) async {
        await cache.invalidate(value)
    }

    private static func request(credentials: ZoomCredentials, transport: any HTTPTransport) async throws -> OAuthGrant {
        let basic = Data("\(credentials.clientID):\(credentials.clientSecret)".utf8).base64EncodedString()
        let form = FormEncoding.encode([("grant_type", "account_credentials"), ("account_id", credentials.accountID)])
        let request = OutboundRequest(url: credentials.oauthURL, method: "POST", headers: [
            ("Authorization", "Basic \(basic)"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ], body: Array(form.utf8), timeout: .seconds(30))
        let response: OutboundResponse
        do { response = try await transport.send(request) } catch { throw ZoomAPIError.unavailable("OAuth: \(error)") }
        guard response.status == 200 else {
            if response.status >= 500 || response.status == 429 { throw ZoomAPIError.unavailable("OAuth answered \(response.status)") }
            throw ZoomAPIError.authenticationFailed(status: response.status, message: ZoomErrorBody.message(response.body))
        }
        guard let grant = try? JSONDecoder().decode(Grant.self, from: Data(response.body)), !grant.access_token.isEmpty else {
            throw ZoomAPIError.unexpectedResponse("OAuth answer without access_token")
        }
        return OAuthGrant(accessToken: grant.access_token, lifetime: TimeInterval(grant.expires_in))
    }
}
