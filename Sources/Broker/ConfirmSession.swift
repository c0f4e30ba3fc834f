import CRabbitMQ
import Foundation
import LookoutCore
import Metrics

/// The confirm bookkeeping of one publisher connection: which delivery tags await a confirm,
/// and whom to tell when it comes. Lives on the publisher thread only.
struct ConfirmSession {
    /// Called once, on the publisher thread, with the broker's answer.
    typealias Completion = @Sendable (Result<Void, PublishFailure>) -> Void

    private struct Outstanding {
        let tag: UInt64
        let messageID: String
        let deadline: ContinuousClock.Instant
        var completion: Completion?
    }

    let connection: AMQPConnection
    private let confirmTimeout: Duration
    /// In publish order, so tags ascend and a `multiple` ack settles a prefix.
    private var outstanding: [Outstanding] = []
    private var nextTag: UInt64 = 1
    /// Message ids the broker returned as unroutable; their (positive) confirm follows the return.
    private var returned: Set<String> = []
    /// The broker nacked a message on this channel. RabbitMQ nacks only when a queue process
    /// failed; seen after a quorum queue's leader was lost (RabbitMQ 3.10, a channel opened during
    /// the election): that channel then nacked every later publish although the messages were
    /// enqueued. The owner ends the connection and opens a new one.
    private(set) var refused = false

    init(connection: AMQPConnection, confirmTimeout: Duration) {
        self.connection = connection
        self.confirmTimeout = confirmTimeout
    }

    var isIdle: Bool { outstanding.isEmpty }

    mutating func publish(_ message: Publication, completion: @escaping Completion) throws(BrokerError) {
        do {
            try connection.publish(exchange: AMQPBytes(message.exchange), routingKey: message.routingKey, body: message.body,
                                   messageID: message.messageID, timestamp: message.timestamp,
                                   headers: AMQPTable(headers: message.headers), mandatory: true,
                                   expiration: message.expiration)
        } catch {
            completion(.failure(.notConfirmed("publish failed: \(error)")))
            throw error
        }
        outstanding.append(Outstanding(tag: nextTag, messageID: message.messageID,
                                       deadline: .now + confirmTimeout, completion: completion))
        nextTag += 1
    }

    /// Handles every frame available now without blocking.
    mutating func readConfirms() throws(BrokerError) {
        defer { connection.releaseBuffers() }
        while true {
            switch try connection.readFrameNow() {
            case .none:
                return
            case .method(LOOKOUT_AMQP_BASIC_ACK, let decoded?):
                let ack = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                settle(upTo: ack.delivery_tag, multiple: ack.multiple != 0, confirmed: true)
            case .method(LOOKOUT_AMQP_BASIC_NACK, let decoded?):
                let nack = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                settle(upTo: nack.delivery_tag, multiple: nack.multiple != 0, confirmed: false)
                refused = true
            case .method(LOOKOUT_AMQP_BASIC_RETURN, _):
                if let messageID = try connection.readContent().messageID { returned.insert(messageID) }
            case .method, .other:
                continue
            }
        }
    }

    private mutating func settle(upTo tag: UInt64, multiple: Bool, confirmed: Bool) {
        let end = outstanding.firstIndex { $0.tag > tag } ?? outstanding.endIndex
        let range = multiple ? outstanding.startIndex..<end : (outstanding.firstIndex { $0.tag == tag }).map { $0..<($0 + 1) } ?? end..<end
        for item in outstanding[range] {
            let result: Result<Void, PublishFailure>
            if !confirmed {
                result = .failure(.notConfirmed("broker refused the message"))
            } else if returned.remove(item.messageID) != nil {
                result = .failure(.notConfirmed("no queue is bound for this event; run `lookout topology`"))
            } else {
                result = .success(())
            }
            item.completion?(result)
            Self.count(result)
        }
        outstanding.removeSubrange(range)
    }

    /// Answers callers whose confirm is late; the message may still be confirmed afterwards.
    mutating func expireOverdue(now: ContinuousClock.Instant) {
        // Deadlines ascend with the tags, so the overdue ones are a prefix.
        for index in outstanding.indices {
            guard outstanding[index].deadline <= now else { break }
            outstanding[index].completion?(.failure(.confirmTimedOut))
            Self.count(.failure(.confirmTimedOut))
            outstanding[index].completion = nil
        }
    }

    /// `lookout_published_total{result}`: confirmed, refused, unroutable, timed_out, connection_lost.
    private static func count(_ result: Result<Void, PublishFailure>) {
        let counter = switch result {
        case .success: Published.confirmed
        case .failure(.confirmTimedOut): Published.timedOut
        case .failure(.notConfirmed(let why)) where why.hasPrefix("no queue"): Published.unroutable
        case .failure(.notConfirmed(let why)) where why.hasPrefix("broker refused"): Published.refused
        case .failure: Published.connectionLost
        }
        counter.increment()
    }

    /// The counter handles, made once (not one factory look-up per message).
    private enum Published {
        static let confirmed = counter("confirmed")
        static let timedOut = counter("timed_out")
        static let unroutable = counter("unroutable")
        static let refused = counter("refused")
        static let connectionLost = counter("connection_lost")

        static func counter(_ result: String) -> Counter {
            Counter(label: "lookout_published_total", dimensions: [("result", result)])
        }
    }

    mutating func failAll(_ failure: PublishFailure) {
        for item in outstanding where item.completion != nil { Self.count(.failure(failure)) }
        for item in outstanding { item.completion?(.failure(failure)) }
        outstanding.removeAll()
    }

    /// How long the thread may sleep: until the next deadline, and never long, so heartbeats flow.
    func nextWakeUp(now: ContinuousClock.Instant) -> Duration {
        let cap = Duration.seconds(1)
        guard let earliest = outstanding.first(where: { $0.completion != nil })?.deadline else { return cap }
        return max(.milliseconds(1), min(cap, earliest - now))
    }
}
