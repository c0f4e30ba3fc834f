import Foundation
import Notifier
import CurlHTTP

/// Posts to Mattermost incoming webhooks; `CurlMattermostWebhooks` is the real one.
public protocol MattermostWebhooks: Sendable {
    func post(_ post: MattermostPost, to hook: Hook) async -> PostOutcome
}

/// Mattermost over libcurl (`CurlTransport`).
public struct CurlMattermostWebhooks: MattermostWebhooks {
    private let transport: any HTTPTransport
    private let timeout: Duration

    public init(transport: any HTTPTransport = CurlTransport(), timeout: Duration = .seconds(10)) {
        self.transport = transport
        self.timeout = timeout
    }

    public func post(_ post: MattermostPost, to hook: Hook) async -> PostOutcome {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body: [UInt8]
        do { body = Array(try encoder.encode(post)) } catch {
            return .rejected(status: 0, errorID: nil, message: "cannot encode the post: \(error)")
        }
        let request = OutboundRequest(url: hook.url.value, headers: [
            ("content-type", "application/json"),
            ("accept", "application/json"),
            ("user-agent", "lookout-notifier"),
        ], body: body, timeout: timeout)
        do {
            let response = try await transport.send(request)
            return PostOutcome.classify(status: response.status, body: response.body, retryAfter: response.header("retry-after"))
        } catch {
            // The transport names the URL, which holds the hook's secret.
            return .failed(error.message.replacingOccurrences(of: hook.url.value, with: hook.url.description))
        }
    }
}
