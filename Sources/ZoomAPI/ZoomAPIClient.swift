import Foundation
import Logging
import LookoutCore
import OutboundHTTP

/// GET requests to Zoom's REST API: bearer token from the cache (re-issued on 401, up to 3 times), every
/// request through the rate limiter, 429/5xx/network failures retried with backoff and jitter.
public struct ZoomAPIClient: Sendable {
    public struct Options: Sendable {
        /// Requests per second for the HEAVY class (Zoom: 10 Pro, 40 Business+); stay below it.
        public var requestsPerSecond: Double = 8
        public var retry = Backoff(initial: .seconds(1), maximum: .seconds(60))
        /// Attempts per request for 429, 5xx and network failures.
        public var attempts = 8
        public var timeout: Duration = .seconds(30)
        public init() {}
    }

    private let credentials: ZoomCredentials
    private let transport: any HTTPTransport
    private let tokens: AccessTokenCache
    private let limiter: RequestRateLimiter
    private let options: Options
    private let logger: Logger

    public init(credentials: ZoomCredentials, transport: any HTTPTransport, options: Options = .init(), logger: Logger) {
        self.credentials = credentials
        self.transport = transport
        self.options = options
        self.logger = logger
        tokens = AccessTokenCache(credentials: credentials, transport: transport)
        limiter = RequestRateLimiter(requestsPerSecond: options.requestsPerSecond)
    }

    /// `GET /v2<path>?<query>` decoded as `T`.
    public func get<T: Decodable>(_ path: String, query: [(name: String, value: String)] = [],
                                  as type: T.Type = T.self) async throws(ZoomAPIError) -> T {
        let body = try await getBytes(path, query: query)
        do { return try JSONDecoder().decode(T.self, from: Data(body)) }
        catch { throw .unexpectedResponse("\(path): \(error)") }
    }

    /// Every item of a paged list, following `next_page_token` until Zoom sends an empty one.
    public func allPages<Page: ZoomPage>(_ path: String, query: [(name: String, value: String)],
                                         as type: Page.Type) async throws(ZoomAPIError) -> [Page.Item] {
        var items: [Page.Item] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            var pageQuery = query
            if let token { pageQuery.append((name: "next_page_token", value: token)) }
            let page: Page = try await get(path, query: pageQuery)
            items += page.items
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw .unexpectedResponse("\(path): next_page_token repeats")
            }
        } while token != nil
        return items
    }

    func getBytes(_ path: String, query: [(name: String, value: String)]) async throws(ZoomAPIError) -> [UInt8] {
        let url = credentials.apiURL + "/v2" + path + (query.isEmpty ? "" : "?" + FormEncoding.encode(query))
        var attempt = 0
        var reissued = 0
        while true {
            let token = try await tokens.current()
            do { try await limiter.acquire() } catch { throw .unavailable("cancelled") }
            let request = OutboundRequest(url: url, method: "GET", headers: [("Authorization", "Bearer \(token)")],
                                          timeout: options.timeout)
            let outcome: Result<OutboundResponse, TransportError>
            do throws(TransportError) { outcome = .success(try await transport.send(request)) } catch { outcome = .failure(error) }
            let retryable: String
            switch outcome {
            case .success(let response) where response.status == 200:
                return response.body
            case .success(let response) where response.status == 401:
                await tokens.invalidate(token)
                // A token can go stale between issue and use (another request renewed it, a
                // revocation): a few fresh ones are tried before the credentials are blamed.
                if reissued >= 3 { throw .unauthorized(message: ZoomErrorBody.message(response.body)) }
                reissued += 1
                continue
            case .success(let response) where response.status == 404:
                throw .notFound(path: path)
            case .success(let response) where response.status == 429:
                retryable = "429"
            case .success(let response) where response.status >= 500:
                retryable = "\(response.status)"
            case .success(let response):
                let fields = ZoomErrorBody.fields(response.body)
                throw .rejected(status: response.status, code: fields?.code, message: ZoomErrorBody.message(response.body))
            case .failure(let error):
                retryable = error.message
            }
            attempt += 1
            guard attempt < options.attempts else {
                throw retryable == "429" ? .rateLimited : .unavailable("\(path): \(retryable)")
            }
            let wait = options.retry.delay(attempt: attempt - 1)
            logger.warning("Zoom API request failed, retrying", metadata: ["path": "\(path)", "answer": "\(retryable)", "retry_in": "\(wait)"])
            do { try await Task.sleep(for: wait) } catch { throw .unavailable("cancelled") }
        }
    }
}
