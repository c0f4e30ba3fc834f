import LookoutCore
import Foundation

/// An HTTP request Lookout sends (replays, Mattermost posts, Zoom's API, Zoho Analytics).
public struct OutboundRequest: Sendable {
    public var url: String
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeout: Duration

    public init(url: String, method: String = "POST", headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeout: Duration = .seconds(10)) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct OutboundResponse: Sendable {
    public let status: Int
    /// Headers of the final response, in order (names as the server sent them).
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public struct TransportError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Sends HTTP requests; `CurlTransport` is the real one.
public protocol HTTPTransport: Sendable {
    func send(_ request: OutboundRequest) async throws(TransportError) -> OutboundResponse
}

extension TransportError: RetryClassified {
    /// The network, a timeout, a reset: another attempt may get through.
    public var retryAdvice: RetryAdvice { .retryable }
}
