import Projections

extension ProjectionSnapshot {
    /// The latest known topic of each meeting id.
    var topics: [String: String] {
        var topics: [String: String] = [:]
        for row in presence { if let topic = row.topic { topics[row.meetingID] = topic } }
        for drop in disconnections { if let topic = drop.topic { topics[drop.meetingID] = topic } }
        for meeting in meetings.sorted(by: { ($0.startedAt ?? BSONDate(milliseconds: 0)) < ($1.startedAt ?? BSONDate(milliseconds: 0)) }) {
            if let id = meeting.meetingID, let topic = meeting.topic { topics[id] = topic }
        }
        return topics
    }

    /// Whether anything is known about this meeting id.
    func knows(meetingID: String) -> Bool {
        presence.contains { $0.meetingID == meetingID } || meetings.contains { $0.meetingID == meetingID }
            || disconnections.contains { $0.meetingID == meetingID } || alerts.contains { $0.meetingID == meetingID }
    }
}
