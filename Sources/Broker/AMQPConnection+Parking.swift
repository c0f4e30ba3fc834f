import CRabbitMQ
import Foundation
import LookoutCore

/// What `basic.get` hands out, with everything the DLQ tool shows.
struct FetchedMessage {
    let deliveryTag: UInt64
    let routingKey: String
    let body: [UInt8]
    let messageID: String?
    let timestamp: UInt64?
    let headers: [String: HeaderValue]
}

extension AMQPConnection {
    /// Takes one message without acknowledging it (it returns to the queue if never acked).
    func get(queue: String) throws(BrokerError) -> FetchedMessage? {
        let name = AMQPBytes(queue)
        let reply = amqp_basic_get(state, Self.channel, name.raw, 0)
        try check(reply, "basic.get \(queue)")
        guard reply.reply.id == LOOKOUT_AMQP_BASIC_GET_OK, let decoded = reply.reply.decoded else { return nil }
        let ok = decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        let routingKey = ok.routing_key.string
        var message = amqp_message_t()
        try check(amqp_read_message(state, Self.channel, &message, 0), "read message")
        defer { amqp_destroy_message(&message) }
        let properties = message.properties
        let flags = properties._flags
        return FetchedMessage(
            deliveryTag: ok.delivery_tag, routingKey: routingKey, body: message.body.array,
            messageID: flags & LOOKOUT_AMQP_BASIC_MESSAGE_ID_FLAG != 0 ? properties.message_id.string : nil,
            timestamp: flags & LOOKOUT_AMQP_BASIC_TIMESTAMP_FLAG != 0 ? properties.timestamp : nil,
            headers: flags & LOOKOUT_AMQP_BASIC_HEADERS_FLAG != 0 ? HeaderValue.fields(of: properties.headers) : [:])
    }

    func purge(queue: String) throws(BrokerError) -> UInt32 {
        let name = AMQPBytes(queue)
        let ok = amqp_queue_purge(state, Self.channel, name.raw)
        try checkRPC("queue.purge \(queue)")
        return ok?.pointee.message_count ?? 0
    }

    /// Blocks until the broker confirms the last publish (publisher confirms must be on).
    func awaitConfirm(timeout: Duration = .seconds(10)) throws(BrokerError) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var frame = amqp_frame_t()
            var wait = timeval(tv_sec: 1, tv_usec: 0)
            let status = amqp_simple_wait_frame_noblock(state, &frame, &wait)
            if status == AMQP_STATUS_TIMEOUT.rawValue { continue }
            try check(status, "wait for confirm")
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            switch frame.payload.method.id {
            case LOOKOUT_AMQP_BASIC_ACK: return
            case LOOKOUT_AMQP_BASIC_NACK: throw .server(operation: "publish", message: "refused by the broker")
            case LOOKOUT_AMQP_BASIC_RETURN: throw .server(operation: "publish", message: "no such queue")
            default: continue
            }
        }
        throw .library(operation: "publish", message: "no confirm within \(timeout)")
    }
}
