import Foundation

/// An access token as an OAuth server issued it.
public struct OAuthGrant: Sendable, Equatable {
    public let accessToken: String
    /// Seconds the token is valid for, from the moment it was asked for.
    public let lifetime: TimeInterval

    public init(accessToken: String, lifetime: TimeInterval) {
        self.accessToken = accessToken
        self.lifetime = lifetime
    }
}

/// One access token shared by every request of a process (Zoom's Server-to-Server OAuth, Zoho's
/// refresh-token grant): fetched on first use, renewed `renewEarly` before it expires, or as soon
/// as the API refused it; concurrent callers share one fetch, so a burst never asks twice.
public actor OAuthTokenCache {
    public typealias Fetch = @Sendable () async throws -> OAuthGrant

    private struct Token {
        let value: String
        let renewAt: Date
    }

    private let renewEarly: TimeInterval
    private let now: @Sendable () -> Date
    private let fetch: Fetch
    private var token: Token?
    private var pending: Task<Token, any Error>?

    public init(renewEarly: TimeInterval, now: @escaping @Sendable () -> Date = Date.init, fetch: @escaping Fetch) {
        self.renewEarly = renewEarly
        self.now = now
        self.fetch = fetch
    }

    /// When a token asked for at `issuedAt` and valid for `lifetime` seconds is renewed:
    /// `renewEarly` before it expires, but never in its first half (a server issuing short-lived
    /// tokens would otherwise be asked again on every request).
    public static func renewal(issuedAt: Date, lifetime: TimeInterval, renewEarly: TimeInterval) -> Date {
        issuedAt.addingTimeInterval(max(lifetime - renewEarly, lifetime / 2))
    }

    /// A token valid for a while yet; errors are the fetch's.
    public func current() async throws -> String {
        if let token, now() < token.renewAt { return token.value }
        let task: Task<Token, any Error>
        if let pending {
            task = pending
        } else {
            task = Task { [fetch, now, renewEarly] in
                let issuedAt = now()
                let grant = try await fetch()
                return Token(value: grant.accessToken,
                             renewAt: Self.renewal(issuedAt: issuedAt, lifetime: grant.lifetime, renewEarly: renewEarly))
            }
            pending = task
        }
        // The first caller to resume settles the fetch; a later one must not bring back a token
        // invalidated in between.
        do {
            let fresh = try await task.value
            if pending == task {
                pending = nil
                token = fresh
            }
            return fresh.value
        } catch {
            if pending == task { pending = nil }
            throw error
        }
    }

    /// Forgets `value` (the API refused it), so the next call fetches a new one; a token already
    /// renewed by another caller is kept.
    public func invalidate(_ value: String) {
        if token?.value == value { token = nil }
    }
}
