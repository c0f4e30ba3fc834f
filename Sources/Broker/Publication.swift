import Foundation
import LookoutCore

/// One message for the publisher thread: where it goes and everything it carries.
struct Publication: Sendable {
    let exchange: String
    let routingKey: String
    let body: [UInt8]
    let messageID: String
    let timestamp: Date
    let headers: [String: HeaderValue]
    /// Per-message TTL (a delay queue's dead-lettering turns it into a delay).
    let expiration: Duration?

    /// A new event for the events exchange.
    init(event: EventMessage, exchange: String) {
        var headers: [String: HeaderValue] = [
            MessageHeader.source: .string(event.source.rawValue),
            MessageHeader.receivedAtMilliseconds: .integer(Int64((event.receivedAt.timeIntervalSince1970 * 1000).rounded())),
        ]
        if let requestID = event.requestID { headers[MessageHeader.requestID] = .string(requestID) }
        self.exchange = exchange
        routingKey = event.routingKey
        body = event.body
        messageID = event.messageID
        timestamp = event.receivedAt
        self.headers = headers
        expiration = nil
    }

    /// A copy of a delivery with `extra` headers added. It keeps the body, the id, the receive time
    /// and the routing key it was first published with (in a header, as the route changes it).
    init(forwarding delivery: Delivery, exchange: String, routingKey: String, extra: [String: HeaderValue],
         expiration: Duration?) {
        var headers = delivery.headers.filter { !$0.key.hasPrefix("x-") }
        headers[MessageHeader.routingKey] = .string(delivery.routingKey)
        if let source = delivery.source { headers[MessageHeader.source] = .string(source.rawValue) }
        if let timestamp = delivery.timestamp {
            headers[MessageHeader.receivedAtMilliseconds] = .integer(Int64((timestamp.timeIntervalSince1970 * 1000).rounded()))
        }
        headers.merge(extra) { _, new in new }
        self.exchange = exchange
        self.routingKey = routingKey
        body = delivery.body
        messageID = delivery.messageID ?? ""
        timestamp = delivery.timestamp ?? Date()
        self.headers = headers
        self.expiration = expiration
    }
}
