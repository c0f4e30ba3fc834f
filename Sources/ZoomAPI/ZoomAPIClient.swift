import Foundation
import Logging
import LookoutCore
import CurlHTTP

/// GET requests to Zoom's REST API: bearer token from the cache (re-issued on 401, up to 3 times);
/// every request through its rate class's bucket and, for Heavy and Resource-intensive, the daily
/// budget; 429 (after `Retry-After` when Zoom gives one), 5xx and network failures retried with
/// backoff and jitter; Zoom's daily-limit 429 stops at once (`dailyLimitReached`).
public struct ZoomAPIClient: Sendable {
    public struct Options: Sendable {
        /// Per-class rates and the daily budget (`LOOKOUT_ZOOM_PLAN`, `_HEAVY_RATE`, `_DAILY_SHARE`).
        public var limits = ZoomRateLimits()
        /// Attempts per request for 429, 5xx and network failures, and the waits between them.
        public var retry = RetryPolicy(initial: .seconds(1), maximum: .seconds(60), attempts: 8)
        public var timeout: Duration = .seconds(30)
        public init() {}
    }

    private let credentials: ZoomCredentials
    private let transport: any HTTPTransport
    private let tokens: AccessTokenCache
    private let limiter: ZoomRateLimiter
    private let budget: ZoomRequestBudget
    private let options: Options
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// - Parameter usage: where the day's requests are counted. Give every process of the account
    ///   the same persistent ledger (`Backfill.MongoZoomUsage`), so the share is for all together
    ///   and survives restarts; the default counts this process only.
    public init(credentials: ZoomCredentials, transport: any HTTPTransport, options: Options = .init(),
                usage: any ZoomUsageLedger = InMemoryUsageLedger(), now: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.credentials = credentials
        self.transport = transport
        self.options = options
        self.now = now
        self.logger = logger
        tokens = AccessTokenCache(credentials: credentials, transport: transport)
        limiter = ZoomRateLimiter(limits: options.limits)
        budget = ZoomRequestBudget(limit: options.limits.dailyBudget, ledger: usage,
                                   leaseSize: min(10, options.limits.rate(.heavy).requests), now: now, logger: logger)
    }

    public var limits: ZoomRateLimits { options.limits }

    /// The daily budget as this process last saw it.
    public func budgetStatus() async -> DailyBudget.Status { await budget.status() }

    /// `GET /v2<path>?<query>` decoded as `T`.
    public func get<T: Decodable>(_ path: String, query: [(name: String, value: String)] = [], rateClass: ZoomRateClass,
                                  as type: T.Type = T.self) async throws(ZoomAPIError) -> T {
        let body = try await getBytes(path, query: query, rateClass: rateClass)
        do { return try JSONDecoder().decode(T.self, from: Data(body)) }
        catch { throw .unexpectedResponse("\(path): \(error)") }
    }

    /// Every item of a paged list, following `next_page_token` until Zoom sends an empty one.
    public func allPages<Page: ZoomPage>(_ path: String, query: [(name: String, value: String)], rateClass: ZoomRateClass,
                                         as type: Page.Type) async throws(ZoomAPIError) -> [Page.Item] {
        var items: [Page.Item] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            var pageQuery = query
            if let token { pageQuery.append((name: "next_page_token", value: token)) }
            let page: Page = try await get(path, query: pageQuery, rateClass: rateClass)
            items += page.items
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw .unexpectedResponse("\(path): next_page_token repeats")
            }
        } while token != nil
        return items
    }

    func getBytes(_ path: String, query: [(name: String, value: String)], rateClass: ZoomRateClass) async throws(ZoomAPIError) -> [UInt8] {
        let url = credentials.apiURL + "/v2" + path + (query.isEmpty ? "" : "?" + FormEncoding.encode(query))
        var reissued = 0
        do {
            return try await options.retry.run("Zoom API request \(path)", logger: logger, wait: { [limiter, options] wait, failure in
                // The whole class waits, not only this request: the next one would meet the same limit.
                if case .rateLimited = failure { await limiter.pause(rateClass, for: wait) } else { try await options.retry.sleep(wait) }
            }) { () async throws(ZoomAttemptFailure) -> [UInt8] in
                try await attempt(url, path: path, rateClass: rateClass, reissued: &reissued)
            }
        } catch {
            switch error {
            case .permanent(.final(let error)), .exhausted(.final(let error)), .stopped(.final(let error)): throw error
            case .exhausted(.rateLimited): throw .rateLimited
            case .exhausted(.unavailable(let why)): throw .unavailable("\(path): \(why)")
            case .permanent, .stopped: throw .unavailable("cancelled")
            }
        }
    }

    /// One request; a stale token is replaced here (up to 3 times per call), without counting as
    /// a failed attempt.
    private func attempt(_ url: String, path: String, rateClass: ZoomRateClass, reissued: inout Int) async throws(ZoomAttemptFailure) -> [UInt8] {
        while true {
            let token: String
            do {
                if rateClass.isDailyCapped { try await budget.take() }
                token = try await tokens.current()
            } catch {
                throw .final(error)
            }
            do { try await limiter.acquire(rateClass) } catch { throw .final(.unavailable("cancelled")) }
            let request = OutboundRequest(url: url, method: "GET", headers: [("Authorization", "Bearer \(token)")],
                                          timeout: options.timeout)
            let response: OutboundResponse
            do { response = try await transport.send(request) } catch { throw .unavailable(error.message) }
            switch response.status {
            case 200:
                return response.body
            case 401:
                let fields = ZoomErrorBody.fields(response.body)
                let message = ZoomErrorBody.message(response.body)
                if case .missingScopes(let scopes) = ZoomRefusal(status: 401, code: fields?.code, message: message) {
                    throw .final(.missingScopes(scopes, message: message))
                }
                await tokens.invalidate(token)
                // A token can go stale between issue and use (another request renewed it, a
                // revocation): a few fresh ones are tried before the credentials are blamed.
                if reissued >= 3 { throw .final(.unauthorized(message: message)) }
                reissued += 1
            case 404:
                throw .final(.notFound(path: path))
            case 429:
                let answer = RateLimitAnswer(headers: response.header, body: response.body, now: now())
                if answer.daily {
                    let until = answer.retryAfter ?? DailyBudget.nextReset(after: now())
                    logger.notice("Zoom's daily limit reached", metadata: ["path": "\(path)", "resumes_at": "\(until)"])
                    throw .final(await budget.zoomStopped(until: until))
                }
                throw .rateLimited(retryAfter: answer.retryAfter.map { .milliseconds(Int64(max(0, $0.timeIntervalSince(now())) * 1000)) })
            case 500...:
                throw .unavailable("\(response.status)")
            default:
                let fields = ZoomErrorBody.fields(response.body)
                let message = ZoomErrorBody.message(response.body)
                switch ZoomRefusal(status: response.status, code: fields?.code, message: message) {
                case .missingScopes(let scopes): throw .final(.missingScopes(scopes, message: message))
                case .planLacksFeature: throw .final(.planLacksFeature(path: path, message: message))
                case .other: throw .final(.rejected(status: response.status, code: fields?.code, message: message))
                }
            }
        }
    }
}

/// Why one attempt of a request failed, classified for the retry policy.
enum ZoomAttemptFailure: RetryClassified, CustomStringConvertible {
    /// Another attempt cannot help (a refusal, the daily limit, a missing scope).
    case final(ZoomAPIError)
    /// 429 below the daily limit, after Zoom's `Retry-After` when it gave one.
    case rateLimited(retryAfter: Duration?)
    /// 5xx or the network.
    case unavailable(String)

    var retryAdvice: RetryAdvice {
        switch self {
        case .final: .permanent
        case .rateLimited(let wait?): .retryAfter(wait)
        case .rateLimited(nil), .unavailable: .retryable
        }
    }

    var description: String {
        switch self {
        case .final(let error): "\(error)"
        case .rateLimited: "429"
        case .unavailable(let why): why
        }
    }
}
