import Foundation
import Synchronization
import Testing
@testable import CurlHTTP

@Suite struct OAuthTokenCacheTests {
    /// A clock the test moves, and a token server counting its grants.
    final class Issuer: Sendable {
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let grants = Mutex(0)
        let failNext = Mutex(false)

        func cache(lifetime: TimeInterval = 3600, renewEarly: TimeInterval = 300, delay: Duration = .zero) -> OAuthTokenCache {
            OAuthTokenCache(renewEarly: renewEarly, now: { self.clock.withLock { $0 } }) {
                try await Task.sleep(for: delay)
                if self.failNext.withLock({ let fail = $0; $0 = false; return fail }) { throw TransportError(message: "down") }
                let n = self.grants.withLock { $0 += 1; return $0 }
                return OAuthGrant(accessToken: "token-\(n)", lifetime: lifetime)
            }
        }

        func advance(_ seconds: TimeInterval) { clock.withLock { $0 += seconds } }
    }

    @Test func renewsEarlyButNeverInTheFirstHalfOfTheLifetime() {
        let t0 = Date(timeIntervalSince1970: 0)
        #expect(OAuthTokenCache.renewal(issuedAt: t0, lifetime: 3600, renewEarly: 300) == t0 + 3300)
        #expect(OAuthTokenCache.renewal(issuedAt: t0, lifetime: 100, renewEarly: 300) == t0 + 50)
    }

    @Test func oneTokenUntilItIsDueThenANewOne() async throws {
        let issuer = Issuer()
        let cache = issuer.cache()
        #expect(try await cache.current() == "token-1")
        issuer.advance(3299)
        #expect(try await cache.current() == "token-1")
        issuer.advance(2)
        #expect(try await cache.current() == "token-2", "5 minutes before the hour is up")
        #expect(issuer.grants.withLock { $0 } == 2)
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let issuer = Issuer()
        let cache = issuer.cache(delay: .milliseconds(50))
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<10 { group.addTask { try await cache.current() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(tokens) == ["token-1"])
        #expect(issuer.grants.withLock { $0 } == 1)
    }

    @Test func aRefusedTokenIsReplacedAndAFailedFetchIsTriedAgain() async throws {
        let issuer = Issuer()
        let cache = issuer.cache()
        let first = try await cache.current()
        await cache.invalidate("some older token")
        #expect(try await cache.current() == first, "only the refused token is dropped")
        await cache.invalidate(first)
        issuer.failNext.withLock { $0 = true }
        await #expect(throws: TransportError.self) { try await cache.current() }
        #expect(try await cache.current() == "token-2")
    }
}
