import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LookoutTestSupport
import NIOCore
import CurlHTTP
import ServiceLifecycle
import Synchronization
import Testing

/// A local Mattermost that implements the incoming-webhook contract: `POST /hooks/<id>`, each
/// request checked against the attachment schema (a violation is answered 400 and recorded),
/// answered as the test scripts it per hook (`ok` by default), and captured.
final class MattermostContractServer: Sendable {
    enum Answer: Sendable {
        case ok, badRequest, forbidden, notFound, serverError
        case tooManyRequests(retryAfter: Int)
    }

    struct Captured: Sendable {
        let hook: String
        let receivedAt: ContinuousClock.Instant
        let answeredAt: ContinuousClock.Instant
        let status: Int
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        /// The attachments' own texts, in order.
        var attachmentTexts: [String] {
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            return (object?["attachments"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        }
    }

    private struct State {
        var scripts: [String: [Answer]] = [:]
        var captured: [Captured] = []
        var violations: [String] = []
    }

    let port = freePort()
    private let state = Mutex(State())
    private let running = Mutex<(ServiceGroup, Task<Void, any Error>)?>(nil)

    func url(hook: String) -> String { "http://127.0.0.1:\(port)/hooks/\(hook)" }

    /// The next answers for `hook`, in order; `ok` once they are used up.
    func script(_ hook: String, _ answers: [Answer]) {
        state.withLock { $0.scripts[hook, default: []] += answers }
    }

    func captured(hook: String? = nil) -> [Captured] {
        state.withLock { $0.captured.filter { hook == nil || $0.hook == hook } }
    }

    /// Posts answered 200.
    func delivered(hook: String? = nil) -> [Captured] { captured(hook: hook).filter { $0.status == 200 } }

    var violations: [String] { state.withLock { $0.violations } }

    func start() async throws {
        let router = Router()
        router.post("/hooks/:id") { [self] request, context in
            let received = ContinuousClock.now
            let hook = context.parameters.get("id") ?? ""
            let body = Array(buffer: try await request.body.collect(upTo: 4 << 20))
            let problems = MattermostContract.problems(contentType: request.headers[.contentType], body: body)
            let answer: Answer = state.withLock { state in
                state.violations += problems.map { "\(hook): \($0)" }
                return state.scripts[hook]?.isEmpty == false ? state.scripts[hook]!.removeFirst() : .ok
            }
            let response = problems.isEmpty ? Self.response(answer) : Self.error(400, "web.incoming_webhook.parse.app_error", problems.joined(separator: "; "))
            state.withLock {
                $0.captured.append(Captured(hook: hook, receivedAt: received, answeredAt: .now, status: Int(response.status.code), body: body))
            }
            return response
        }
        var logger = Logger(label: "mattermost-contract")
        logger.logLevel = .warning
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let group = ServiceGroup(services: [application], logger: logger)
        running.withLock { $0 = (group, Task { try await group.run() }) }
        try await eventually("the Mattermost contract server listens") {
            (try? await CurlTransport().send(OutboundRequest(url: "http://127.0.0.1:\(port)/hooks/probe", body: Array("{".utf8)))) != nil
        }
        state.withLock { $0 = State() }
    }

    func stop() async {
        guard let (group, task) = running.withLock({ $0.take() }) else { return }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    private static func response(_ answer: Answer) -> Response {
        switch answer {
        case .ok:
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        case .badRequest:
            return error(400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.")
        case .forbidden:
            return error(403, "web.incoming_webhook.channel_locked.app_error", "This webhook is not permitted to post to the requested channel.")
        case .notFound:
            return error(404, "web.incoming_webhook.channel.app_error", "Couldn't find the channel.")
        case .serverError:
            return error(500, "app.post.save.app_error", "Unable to save the post.")
        case .tooManyRequests(let seconds):
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            headers[.retryAfter] = String(seconds)
            headers[HTTPField.Name("X-RateLimit-Limit")!] = "10"
            headers[HTTPField.Name("X-RateLimit-Remaining")!] = "0"
            headers[HTTPField.Name("X-RateLimit-Reset")!] = String(seconds)
            return Response(status: .tooManyRequests, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "limit exceeded\n")))
        }
    }

    private static func error(_ status: Int, _ id: String, _ message: String) -> Response {
        let object: [String: Any] = ["id": id, "message": message, "detailed_error": "", "request_id": UUID().uuidString.lowercased(),
                                     "status_code": status]
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
