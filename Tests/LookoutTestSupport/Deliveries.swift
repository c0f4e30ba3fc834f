import Foundation
import LookoutCore
import ZoomWebhooks

extension Delivery {
    /// A delivery as a worker gets it from the broker: tag `tag` on `connection`, routed by the
    /// body's `event` unless `routingKey` says otherwise, from a webhook unless `source` says
    /// otherwise. No message id unless given (a worker then keys it by its body).
    public static func test(_ tag: UInt64, body: [UInt8], routingKey: String? = nil, connection: UInt64 = 1,
                            messageID: String? = nil, timestamp: Date? = nil, source: EventSource? = .webhook,
                            redelivered: Bool = false, headers: [String: HeaderValue] = [:]) -> Delivery {
        Delivery(tag: DeliveryTag(connection: connection, value: tag), routingKey: routingKey ?? eventName(body) ?? "",
                 body: body, messageID: messageID, timestamp: timestamp, source: source, redelivered: redelivered,
                 headers: headers)
    }
}

extension EventMessage {
    /// An event as the receiver publishes it: routed by the body's `event`, keyed by the hash of
    /// the body (`IdempotencyKey`), unless told otherwise.
    public static func test(_ body: [UInt8], routingKey: String? = nil, messageID: String? = nil,
                            receivedAt: Date = Date(), source: EventSource = .webhook, requestID: String? = nil) -> EventMessage {
        EventMessage(routingKey: routingKey ?? eventName(body) ?? "", body: body, messageID: messageID ?? IdempotencyKey.of(body),
                     receivedAt: receivedAt, source: source, requestID: requestID)
    }
}

/// The `event` field of a JSON body, if it has one.
private func eventName(_ body: [UInt8]) -> String? {
    ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["event"] as? String
}
