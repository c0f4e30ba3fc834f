import Foundation
import HTTPTypes
import Hummingbird
import LookoutCore
import NIOCore
import ZoomWebhooks

/// The webhook as a Hummingbird route (`makeReceiverRouter`): the same `WebhookIntake` as the
/// channel handler `lookout receive` serves with, for embedding the receiver in a Hummingbird
/// application and for the in-process route tests. Each request is a Swift task here, with a
/// reader task for the body timeout: ~2× the CPU of the channel handler (docs/benchmarks.md).
struct WebhookEndpoint: Sendable {
    let intake: WebhookIntake
    let publisher: any EventPublisher
    let bodyDeadlines: BodyDeadlines

    init(intake: WebhookIntake, publisher: any EventPublisher) {
        self.intake = intake
        self.publisher = publisher
        self.bodyDeadlines = BodyDeadlines(interval: BodyDeadlines.interval(for: intake.settings.bodyTimeout))
    }

    func handle(_ request: Request, context: some RequestContext) async -> Response {
        let head = WebhookHead(request.headers)
        let receivedAt = intake.now()
        let answer: ReceiverAnswer
        do throws(WebhookRejection) {
            let age = try intake.checkHead(head, receivedAt: receivedAt)
            let body = try await collectBody(request)
            switch intake.admit(body: Array(body.readableBytesView), head: head, age: age, receivedAt: receivedAt,
                                logger: context.logger) {
            case .answer(let early):
                answer = early
            case .publish(let message, let age):
                let started = ContinuousClock.now
                do throws(PublishFailure) {
                    try await publisher.publish(message)
                    answer = intake.confirmed(message, age: age, publishedAt: started, logger: context.logger)
                } catch {
                    answer = await intake.notConfirmed(message, because: error, age: age, logger: context.logger)
                }
            }
        } catch {
            answer = intake.rejected(error, requestID: head.requestID, logger: context.logger)
        }
        return Response(answer)
    }

    /// Reads the body up to the size cap, within the body timeout.
    private func collectBody(_ request: Request) async throws(WebhookRejection) -> ByteBuffer {
        let limit = intake.settings.maxBodyBytes
        let outcome = await bodyDeadlines.run(until: .now + intake.settings.bodyTimeout) { () async -> Result<ByteBuffer, WebhookRejection> in
            do { return .success(try await request.body.collect(upTo: limit)) }
            catch is NIOTooManyBytesError { return .failure(.bodyTooLarge(limit: limit)) }
            catch { return .failure(.bodyTimeout) }
        }
        return try outcome.get()
    }

    static func isJSON(_ contentType: String?) -> Bool {
        WebhookHead.isJSON(contentType)
    }
}

extension WebhookHead {
    init(_ headers: HTTPFields) {
        self.init(contentType: headers[.contentType], signature: headers[.zoomSignature], timestamp: headers[.zoomTimestamp],
                  contentLength: headers[.contentLength], requestID: headers[.zoomRequestID])
    }
}

extension HTTPField.Name {
    static let zoomSignature = Self("x-zm-signature")!
    static let zoomTimestamp = Self("x-zm-request-timestamp")!
    static let zoomRequestID = Self("x-zm-request-id")!
}

extension Response {
    init(_ answer: ReceiverAnswer) {
        self.init(status: HTTPResponse.Status(code: answer.status),
                  headers: [.contentType: "application/json", .cacheControl: "no-store"],
                  body: .init(byteBuffer: ByteBuffer(string: answer.json)))
    }
}
