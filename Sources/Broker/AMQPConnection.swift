import CRabbitMQ
import Foundation
import LookoutCore

/// One rabbitmq-c connection with channel 1 open. Not thread-safe: it is created, used and
/// destroyed by the single thread that owns it.
final class AMQPConnection {
    static let channel: amqp_channel_t = 1

    let state: amqp_connection_state_t
    let socketDescriptor: Int32

    init(url: AMQPURL, heartbeatSeconds: Int32 = 30, timeout: Duration = .seconds(10)) throws(BrokerError) {
        guard let state = amqp_new_connection() else { throw .connectFailed("out of memory") }
        guard let socket = amqp_tcp_socket_new(state) else {
            amqp_destroy_connection(state)
            throw .connectFailed("cannot create socket")
        }
        var wait = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        let opened = amqp_socket_open_noblock(socket, url.host, Int32(url.port), &wait)
        guard opened == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(state)
            throw .connectFailed("\(url.host):\(url.port): \(String(cString: amqp_error_string2(opened)))")
        }
        // Later RPCs (declare, close) must not hang forever on a broker that stopped answering.
        amqp_set_rpc_timeout(state, &wait)
        self.state = state
        socketDescriptor = amqp_get_sockfd(state)
        // No clean-up here if these throw: every stored property is set, so deinit runs and
        // destroys the state (destroying it here too freed it twice: a crash on a refused login).
        try check(lookout_amqp_login_plain(state, url.virtualHost, 0, 131_072, heartbeatSeconds,
                                           url.user, url.password), "login")
        amqp_channel_open(state, Self.channel)
        try checkRPC("channel.open")
    }

    deinit {
        amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        amqp_destroy_connection(state)
    }

    // MARK: Topology and consumer set-up

    func declareExchange(_ name: String, type: String) throws(BrokerError) {
        let name = AMQPBytes(name), type = AMQPBytes(type)
        amqp_exchange_declare(state, Self.channel, name.raw, type.raw, 0, 1, 0, 0, AMQPTable.empty)
        try checkRPC("exchange.declare")
    }

    func declareQueue(_ name: String, arguments: AMQPTable) throws(BrokerError) {
        let name = AMQPBytes(name)
        amqp_queue_declare(state, Self.channel, name.raw, 0, 1, 0, 0, arguments.raw)
        try checkRPC("queue.declare \(name.raw.string)")
    }

    func bindQueue(_ queue: String, exchange: String, routingKey: String) throws(BrokerError) {
        let queue = AMQPBytes(queue), exchange = AMQPBytes(exchange), key = AMQPBytes(routingKey)
        amqp_queue_bind(state, Self.channel, queue.raw, exchange.raw, key.raw, AMQPTable.empty)
        try checkRPC("queue.bind")
    }

    func unbindQueue(_ queue: String, exchange: String, routingKey: String) throws(BrokerError) {
        let queue = AMQPBytes(queue), exchange = AMQPBytes(exchange), key = AMQPBytes(routingKey)
        amqp_queue_unbind(state, Self.channel, queue.raw, exchange.raw, key.raw, AMQPTable.empty)
        try checkRPC("queue.unbind")
    }

    /// Ready messages and consumers of a queue (passive declare): fails if the queue does not exist.
    func inspect(queue: String) throws(BrokerError) -> (messages: UInt32, consumers: UInt32) {
        let name = AMQPBytes(queue)
        let ok = amqp_queue_declare(state, Self.channel, name.raw, 1, 0, 0, 0, AMQPTable.empty)
        try checkRPC("queue.declare passive \(queue)")
        return (ok?.pointee.message_count ?? 0, ok?.pointee.consumer_count ?? 0)
    }

    func enablePublisherConfirms() throws(BrokerError) {
        amqp_confirm_select(state, Self.channel)
        try checkRPC("confirm.select")
    }

    func startConsuming(queue: String, prefetch: UInt16) throws(BrokerError) {
        amqp_basic_qos(state, Self.channel, 0, prefetch, 0)
        try checkRPC("basic.qos")
        let name = AMQPBytes(queue)
        amqp_basic_consume(state, Self.channel, name.raw, amqp_empty_bytes, 0, 0, 0, AMQPTable.empty)
        try checkRPC("basic.consume \(queue)")
    }

    // MARK: Publishing and settling

    /// `expiration`: per-message TTL, after which a delay queue dead-letters the message.
    func publish(exchange: AMQPBytes, routingKey: String, body: [UInt8], messageID: String,
                 timestamp: Date, headers: AMQPTable, mandatory: Bool, expiration: Duration? = nil) throws(BrokerError) {
        let key = AMQPBytes(routingKey), id = AMQPBytes(messageID), contentType = AMQPBytes("application/json")
        var properties = amqp_basic_properties_t()
        properties._flags = LOOKOUT_AMQP_BASIC_CONTENT_TYPE_FLAG | LOOKOUT_AMQP_BASIC_DELIVERY_MODE_FLAG
            | LOOKOUT_AMQP_BASIC_MESSAGE_ID_FLAG | LOOKOUT_AMQP_BASIC_TIMESTAMP_FLAG | LOOKOUT_AMQP_BASIC_HEADERS_FLAG
        properties.content_type = contentType.raw
        properties.delivery_mode = 2
        properties.message_id = id.raw
        properties.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970))
        properties.headers = headers.raw
        let milliseconds = expiration.map { max(0, $0.wholeMilliseconds) }
        let expirationText = AMQPBytes(milliseconds.map(String.init) ?? "")
        if milliseconds != nil {
            properties._flags |= LOOKOUT_AMQP_BASIC_EXPIRATION_FLAG
            properties.expiration = expirationText.raw
        }
        let status = body.withUnsafeBytes { buffer in
            amqp_basic_publish(state, Self.channel, exchange.raw, key.raw, mandatory ? 1 : 0, 0, &properties,
                               amqp_bytes_t(len: buffer.count, bytes: UnsafeMutableRawPointer(mutating: buffer.baseAddress)))
        }
        try check(status, "basic.publish")
    }

    func ack(_ tag: UInt64, multiple: Bool) throws(BrokerError) {
        try check(amqp_basic_ack(state, Self.channel, tag, multiple ? 1 : 0), "basic.ack")
    }

    func reject(_ tag: UInt64, requeue: Bool) throws(BrokerError) {
        try check(amqp_basic_reject(state, Self.channel, tag, requeue ? 1 : 0), "basic.reject")
    }

    // MARK: Reading

    enum Incoming {
        case none
        case method(amqp_method_number_t, UnsafeMutableRawPointer?)
        case other
    }

    /// Reads one frame if one is available now; never blocks (the caller polls the socket).
    /// Heartbeats are sent and checked inside this call.
    func readFrameNow() throws(BrokerError) -> Incoming {
        var frame = amqp_frame_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &zero)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return .none }
        try check(status, "read frame")
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return .other }
        let method = frame.payload.method
        if method.id == LOOKOUT_AMQP_CHANNEL_CLOSE || method.id == LOOKOUT_AMQP_CONNECTION_CLOSE {
            throw .server(operation: "read frame", message: closeReason(method))
        }
        return .method(method.id, method.decoded)
    }

    /// Reads the content (header and body frames) that follows a basic.return or basic.deliver.
    func readContent() throws(BrokerError) -> (messageID: String?, body: [UInt8]) {
        var message = amqp_message_t()
        try check(amqp_read_message(state, Self.channel, &message, 0), "read message")
        defer { amqp_destroy_message(&message) }
        let hasID = message.properties._flags & LOOKOUT_AMQP_BASIC_MESSAGE_ID_FLAG != 0
        return (hasID ? message.properties.message_id.string : nil, message.body.array)
    }

    /// Takes one delivery if one is available now (the caller polls the socket first).
    func consumeNow() throws(BrokerError) -> ReceivedMessage? {
        var envelope = amqp_envelope_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        let reply = amqp_consume_message(state, &envelope, &zero, 0)
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION, reply.library_error == AMQP_STATUS_TIMEOUT.rawValue {
            return nil
        }
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION, reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue {
            // A frame other than a delivery: a close or a cancel ends this connection; anything else is skipped.
            _ = try readFrameNow()
            return nil
        }
        try check(reply, "consume")
        defer { amqp_destroy_envelope(&envelope) }
        let properties = envelope.message.properties
        let flags = properties._flags
        let headers = flags & LOOKOUT_AMQP_BASIC_HEADERS_FLAG != 0 ? properties.headers : AMQPTable.empty
        let values = HeaderValue.fields(of: headers)
        let milliseconds = values[MessageHeader.receivedAtMilliseconds]?.integer
        let seconds = flags & LOOKOUT_AMQP_BASIC_TIMESTAMP_FLAG != 0 ? properties.timestamp : nil
        return ReceivedMessage(
            deliveryTag: envelope.delivery_tag,
            redelivered: envelope.redelivered != 0,
            routingKey: values[MessageHeader.routingKey]?.string ?? envelope.routing_key.string,
            body: envelope.message.body.array,
            messageID: flags & LOOKOUT_AMQP_BASIC_MESSAGE_ID_FLAG != 0 ? properties.message_id.string : nil,
            timestamp: milliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
                ?? seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            source: values[MessageHeader.source]?.string,
            headers: values)
    }

    /// Frees memory rabbitmq-c pooled for frames already handled.
    func releaseBuffers() { amqp_maybe_release_buffers(state) }

    /// Holds writes back (TCP_CORK) until `corked(false)`, so many publishes leave as few full segments.
    func corked(_ on: Bool) { lookout_tcp_cork(socketDescriptor, on ? 1 : 0) }

    var hasBufferedInput: Bool { amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0 }

    // MARK: Errors

    func check(_ status: Int32, _ operation: String) throws(BrokerError) {
        guard status < 0 else { return }
        throw .library(operation: operation, message: String(cString: amqp_error_string2(status)))
    }

    func checkRPC(_ operation: String) throws(BrokerError) {
        try check(amqp_get_rpc_reply(state), operation)
    }

    func check(_ reply: amqp_rpc_reply_t, _ operation: String) throws(BrokerError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw .server(operation: operation, message: closeReason(reply.reply))
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw .library(operation: operation, message: String(cString: amqp_error_string2(reply.library_error)))
        default:
            throw .library(operation: operation, message: "no reply")
        }
    }

    private func closeReason(_ method: amqp_method_t) -> String {
        switch method.id {
        case LOOKOUT_AMQP_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return "\(close.reply_code) \(close.reply_text.string)"
        case LOOKOUT_AMQP_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return "\(close.reply_code) \(close.reply_text.string)"
        default:
            return "unexpected method \(method.id)"
        }
    }
}

/// A delivery as read off the wire, before it is tagged with its connection.
struct ReceivedMessage {
    let deliveryTag: UInt64
    let redelivered: Bool
    let routingKey: String
    let body: [UInt8]
    let messageID: String?
    let timestamp: Date?
    let source: String?
    let headers: [String: HeaderValue]
}
