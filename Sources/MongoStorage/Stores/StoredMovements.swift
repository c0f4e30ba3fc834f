import Backfill
import ZoomModel

/// The joins and leaves of a meeting instance already in the `events` collection (webhooks, or
/// records of an earlier Dashboard backfill) that carry a `participant_uuid`. Read through the
/// meeting id index; Zoom sends the id as a number or a string, so both are asked for.
public struct StoredMovements: KnownMovements {
    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func movements(meetingID: String, instance: String) async throws -> [KnownMovement] {
        guard !meetingID.isEmpty else { return [] }
        var ids = [BSON.string(meetingID)]
        if meetingID.allSatisfy(\.isASCII), meetingID.allSatisfy(\.isNumber), let number = Int64(meetingID) {
            ids.append(.int64(number))
        }
        let filter: BSONDocument = [
            "payload.object.id": .in(ids), "payload.object.uuid": .string(instance),
            "event": .in([ZoomEventName.participantJoined, ZoomEventName.participantLeft]),
            "payload.object.participant.participant_uuid": .all(.exists(true), .ne("")),
        ]
        // Zoom's own parser reads the event, as it reads a webhook: the documents go to it as JSON.
        let documents = try await database.findJSON(MongoEventStore.collection, filter: filter,
                                                    options: FindOptions(projection: ["event": 1, "payload.object.participant": 1]))
        return documents.compactMap { json in
            // The filter asked for joins and leaves by name, so each document decodes (the parser is lenient
            // below the name); a row without a participant_uuid or time is no known movement.
            guard let event = try? ZoomEvent.decode(Array(json.utf8)), let participant = event.participant,
                  let uuid = participant.participantUUID, !uuid.isEmpty else { return nil }
            let joined = event.name == ZoomEventName.participantJoined
            guard let at = joined ? participant.joinTime : participant.leaveTime else { return nil }
            return KnownMovement(kind: joined ? .join : .leave, at: at, participantUUID: uuid, userID: participant.userID,
                                 name: participant.name)
        }
    }
}
