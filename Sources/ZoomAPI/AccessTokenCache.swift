import Foundation
import OutboundHTTP

/// Server-to-Server OAuth (`grant_type=account_credentials`): one token shared by every request,
/// renewed `renewEarly` before it expires (there is no refresh token) or when the API answered 401.
actor AccessTokenCache {
    private struct Token {
        let value: String
        let renewAt: Date
    }

    private struct Grant: Decodable {
        let access_token: String
        let expires_in: Int
    }

    private let credentials: ZoomCredentials
    private let transport: any HTTPTransport
    private let renewEarly: TimeInterval
    private let now: @Sendable () -> Date
    private var token: Token?
    private var pending: Task<Token, any Error>?

    init(credentials: ZoomCredentials, transport: any HTTPTransport, renewEarly: TimeInterval = 60,
         now: @escaping @Sendable () -> Date = Date.init) {
        self.credentials = credentials
        self.transport = transport
        self.renewEarly = renewEarly
        self.now = now
    }

    /// A valid token; concurrent callers share one OAuth request.
    func current() async throws(ZoomAPIError) -> String {
        if let token, now() < token.renewAt { return token.value }
        let task = pending ?? Task { [credentials, transport, renewEarly, now] in
            try await Self.request(credentials: credentials, transport: transport, renewEarly: renewEarly, now: now)
        }
        pending = task
        defer { pending = nil }
        do {
            let fresh = try await task.value
            token = fresh
            return fresh.value
        } catch let error as ZoomAPIError {
            throw error
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// Forgets `value` (the API refused it), so the next call asks for a new one.
    func invalidate(_ value: String) {
        if token?.value == value { token = nil }
    }

    private static func request(credentials: ZoomCredentials, transport: any HTTPTransport, renewEarly: TimeInterval,
                                now: @Sendable () -> Date) async throws -> Token {
        let basic = Data("\(credentials.clientID):\(credentials.clientSecret)".utf8).base64EncodedString()
        let form = FormEncoding.encode([("grant_type", "account_credentials"), ("account_id", credentials.accountID)])
        let request = OutboundRequest(url: credentials.oauthURL, method: "POST", headers: [
            ("Authorization", "Basic \(basic)"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ], body: Array(form.utf8), timeout: .seconds(30))
        let issuedAt = now()
        let response: OutboundResponse
        do { response = try await transport.send(request) } catch { throw ZoomAPIError.unavailable("OAuth: \(error)") }
        guard response.status == 200 else {
            if response.status >= 500 || response.status == 429 { throw ZoomAPIError.unavailable("OAuth answered \(response.status)") }
            throw ZoomAPIError.authenticationFailed(status: response.status, message: ZoomErrorBody.message(response.body))
        }
        guard let grant = try? JSONDecoder().decode(Grant.self, from: Data(response.body)), !grant.access_token.isEmpty else {
            throw ZoomAPIError.unexpectedResponse("OAuth answer without access_token")
        }
        let lifetime = TimeInterval(grant.expires_in)
        return Token(value: grant.access_token, renewAt: issuedAt.addingTimeInterval(max(lifetime - renewEarly, lifetime / 2)))
    }
}
