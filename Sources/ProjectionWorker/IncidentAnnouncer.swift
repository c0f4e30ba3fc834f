import Foundation
import LookoutCore
import Projections
import ZoomModel
import ZoomWebhooks

/// Tells the rest of the system about a new collective disconnection.
public protocol IncidentAnnouncer: Sendable {
    func announce(_ incident: CollectiveIncident) async throws
}

/// Publishes incidents to the events exchange, shaped like a Zoom event so the store keeps them
/// and the notifier can format them. The body depends only on the incident, and the message id
/// on its id, so a repeated announcement is recognisable as the same message.
public struct PublishingIncidentAnnouncer: IncidentAnnouncer {
    public static let routingKey = ZoomEventName.collectiveDisconnection

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

    /// A `ZoomEvent` in Zoom's shape (`payload.object` is the meeting, `incident` the details),
    /// through the one event model the notifier decodes it with.
    static func body(for incident: CollectiveIncident) throws -> [UInt8] {
        let event = ZoomEvent(
            name: ZoomEventName.collectiveDisconnection, eventTS: incident.startedAt.milliseconds,
            meeting: ZoomEvent.Meeting(id: incident.meetingID, topic: incident.topic),
            incident: ZoomEvent.Incident(id: incident.id, startedAt: incident.startedAt.date, endedAt: incident.endedAt.date,
                                         participants: incident.participants.map { ZoomEvent.Participant(name: $0) },
                                         count: incident.participantCount))
        return try event.encoded()
    }
}
