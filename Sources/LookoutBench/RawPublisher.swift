import ArgumentParser
import CRabbitMQ
import Foundation
import LookoutCore

/// The broker ceiling: rabbitmq-c alone, persistent messages, asynchronous confirms with a window
/// of unconfirmed messages. Nothing of Lookout's publisher is used, so the figure is the broker's.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish persistent messages with asynchronous confirms as fast as the broker confirms them.",
        discussion: "Prints one line: `published=N confirmed=N seconds=S rate=R` (rate in msgs/s).")

    @Option(help: "AMQP URL (amqp://user:password@host:port/).") var url: String
    @Option(help: "Exchange (empty: the default exchange, routing key = queue name).") var exchange = "lookout.events"
    @Option(help: "Routing key.") var routingKey = "meeting.participant_joined"
    @Option(help: "Stop after this many messages.") var count: Int?
    @Option(help: "Stop after this many seconds.") var seconds: Double?
    @Option(help: "Unconfirmed messages allowed in flight.") var window = 1000
    @Option(help: "Body size in bytes.") var size = 1024
    @Option(help: "Meetings the synthetic participants are spread over.") var meetings = 200
    @Option(name: .customLong("run"), help: "Tag that makes bodies distinct from other runs.") var tag = "\(Int(Date().timeIntervalSince1970))"
    @Flag(help: "Every other message is a leave of the participant joined just before.") var joinLeave = false

    func run() throws {
        guard count != nil || seconds != nil else { throw ValidationError("give --count or --seconds") }
        let target = try AMQPTarget(url)
        let connection = try RawConnection(target)
        try connection.confirmSelect()
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = seconds.map { start + .seconds($0) }
        var published: UInt64 = 0, confirmed: UInt64 = 0
        func done() -> Bool {
            if let count, published >= UInt64(count) { return true }
            if let deadline, clock.now >= deadline { return true }
            return false
        }
        while !done() {
            while published - confirmed < UInt64(window), !done() {
                let index = Int(published)
                let body = joinLeave
                    ? SyntheticEvent.body(index: index / 2, run: tag, meetings: meetings, size: size, left: index % 2 == 1)
                    : SyntheticEvent.body(index: index, run: tag, meetings: meetings, size: size)
                try connection.publish(exchange: exchange, routingKey: routingKey, body: body, messageID: "\(tag)-\(index)")
                published += 1
            }
            confirmed = try connection.readConfirms(current: confirmed, block: published - confirmed >= UInt64(window))
        }
        while confirmed < published { confirmed = try connection.readConfirms(current: confirmed, block: true) }
        let elapsed = (clock.now - start).timeInterval
        print("published=\(published) confirmed=\(confirmed) \(throughput(confirmed, seconds: elapsed))")
    }
}

/// `seconds=S rate=R` of a bench line (what ops/bench reads): `done` things in `seconds`, per second.
func throughput(_ done: some BinaryInteger, seconds: Double) -> String {
    "seconds=\(String(format: "%.2f", seconds)) rate=\(String(format: "%.0f", Double(done) / seconds))"
}

struct AMQPTarget {
    var host = "127.0.0.1", port: Int32 = 5672, user = "guest", password = "guest", vhost = "/"

    init(_ text: String) throws {
        guard let components = URLComponents(string: text), components.scheme == "amqp" else {
            throw ValidationError("not an amqp:// URL: \(text)")
        }
        host = components.host ?? host
        port = Int32(components.port ?? 5672)
        user = components.user ?? user
        password = components.password ?? password
        let path = components.path.dropFirst()
        if !path.isEmpty { vhost = path.removingPercentEncoding ?? String(path) }
    }
}

/// Just enough rabbitmq-c for a publisher with confirms.
final class RawConnection {
    private let state: amqp_connection_state_t

    init(_ target: AMQPTarget) throws {
        state = amqp_new_connection()
        let socket = amqp_tcp_socket_new(state)
        guard amqp_socket_open(socket, target.host, target.port) == AMQP_STATUS_OK.rawValue else {
            throw ValidationError("cannot connect to \(target.host):\(target.port)")
        }
        try check(lookout_amqp_login_plain(state, target.vhost, 0, 131_072, 0, target.user, target.password), "login")
        amqp_channel_open(state, 1)
        try check(amqp_get_rpc_reply(state), "channel.open")
    }

    deinit {
        amqp_channel_close(state, 1, AMQP_REPLY_SUCCESS)
        amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        amqp_destroy_connection(state)
    }

    func confirmSelect() throws {
        amqp_confirm_select(state, 1)
        try check(amqp_get_rpc_reply(state), "confirm.select")
    }

    func publish(exchange: String, routingKey: String, body: [UInt8], messageID: String) throws {
        var properties = amqp_basic_properties_t()
        properties._flags = LOOKOUT_AMQP_BASIC_CONTENT_TYPE_FLAG | LOOKOUT_AMQP_BASIC_DELIVERY_MODE_FLAG
            | LOOKOUT_AMQP_BASIC_MESSAGE_ID_FLAG | LOOKOUT_AMQP_BASIC_TIMESTAMP_FLAG
        properties.delivery_mode = 2
        properties.timestamp = UInt64(Date().timeIntervalSince1970)
        let status = exchange.withCString { exchange in
            routingKey.withCString { key in
                "application/json".withCString { contentType in
                    messageID.withCString { id in
                        body.withUnsafeBytes { bytes in
                            properties.content_type = amqp_cstring_bytes(contentType)
                            properties.message_id = amqp_cstring_bytes(id)
                            return amqp_basic_publish(state, 1, amqp_cstring_bytes(exchange), amqp_cstring_bytes(key), 0, 0,
                                                      &properties, amqp_bytes_t(len: bytes.count, bytes: UnsafeMutableRawPointer(mutating: bytes.baseAddress)))
                        }
                    }
                }
            }
        }
        guard status == AMQP_STATUS_OK.rawValue else { throw ValidationError("publish: \(String(cString: amqp_error_string2(status)))") }
    }

    /// Reads the confirms available (waiting for at least one when `block`); returns the highest
    /// confirmed delivery tag. A nack ends the run: a ceiling that loses messages is no ceiling.
    func readConfirms(current: UInt64, block: Bool) throws -> UInt64 {
        var confirmed = current
        var first = block
        while true {
            var frame = amqp_frame_t()
            var zero = timeval(tv_sec: 0, tv_usec: 0)
            let status = first ? amqp_simple_wait_frame(state, &frame) : amqp_simple_wait_frame_noblock(state, &frame, &zero)
            first = false
            if status == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard status == AMQP_STATUS_OK.rawValue else { throw ValidationError("read: \(String(cString: amqp_error_string2(status)))") }
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            switch frame.payload.method.id {
            case LOOKOUT_AMQP_BASIC_ACK:
                let ack = frame.payload.method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                confirmed = max(confirmed, ack.delivery_tag)
            case LOOKOUT_AMQP_BASIC_NACK:
                throw ValidationError("the broker nacked a message")
            case LOOKOUT_AMQP_CHANNEL_CLOSE, LOOKOUT_AMQP_CONNECTION_CLOSE:
                throw ValidationError("the broker closed the channel")
            default:
                continue
            }
        }
        amqp_maybe_release_buffers(state)
        return confirmed
    }

    private func check(_ reply: amqp_rpc_reply_t, _ operation: String) throws {
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else { throw ValidationError("\(operation) failed") }
    }
}
