import Foundation
import LookoutCore
import Projections
import ZoomWebhooks

/// Tells the rest of the system about a new collective disconnection.
public protocol IncidentAnnouncer: Sendable {
    func announce(_ incident: CollectiveIncident) async throws
}

/// Publishes incidents to the events exchange, shaped like a Zoom event so the store keeps them
/// and the notifier can format them. The body depends only on the incident, and the message id
/// on its id, so a repeated announcement is recognisable as the same message.
public struct PublishingIncidentAnnouncer: IncidentAnnouncer {
    public static let routingKey = "lookout.incident.collective_disconnection"

    private let publisher: any EventPublisher

    public init(publisher: any EventPublisher) {
        self.publisher = publisher
    }

    public func announce(_ incident: CollectiveIncident) async throws {
        let body = try Self.body(for: incident)
        try await publisher.publish(EventMessage(routingKey: Self.routingKey, body: body,
                                                 messageID: IdempotencyKey.of(Array(incident.id.utf8)),
                                                 receivedAt: Date(), source: .projection))
    }

    static func body(for incident: CollectiveIncident) throws -> [UInt8] {
        struct Body: Encodable {
            let event = PublishingIncidentAnnouncer.routingKey
            let event_ts: Int64
            let payload: Payload
        }
        struct Payload: Encodable {
            let object: Object
        }
        struct Object: Encodable {
            let id: String
            let topic: String?
            let incident: Details
        }
        struct Details: Encodable {
            let id: String
            let started_at: String
            let ended_at: String
            let participant_count: Int
            let participants: [String]
        }
        let iso = Date.ISO8601FormatStyle(timeZone: .gmt)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(Body(
            event_ts: incident.startedAt.milliseconds,
            payload: Payload(object: Object(id: incident.meetingID, topic: incident.topic, incident: Details(
                id: incident.id, started_at: incident.startedAt.date.formatted(iso), ended_at: incident.endedAt.date.formatted(iso),
                participant_count: incident.participantCount, participants: incident.participants))))))
    }
}
