/// CSVs for Zoho Analytics imports: one row per fact with a stable key (`updateadd` on it),
/// dates in ISO 8601 UTC. Columns are documented in docs/projections.md.
public enum ZohoCSV {
    public static func disconnections(_ snapshot: ProjectionSnapshot, privacy: ExportPrivacy) -> String {
        let rows = snapshot.disconnections.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.compactMap { drop -> [String]? in
            guard let name = privacy.displayName(drop.name) else { return nil }
            let away = drop.returnedAt.map { String(($0.milliseconds - drop.at.milliseconds) / 1000) } ?? ""
            return [drop.id, drop.meetingID, drop.topic ?? "", name, CSV.iso(drop.at), privacy.reason(drop.reason, of: drop.name),
                    drop.bounced ? "true" : "false", CSV.iso(drop.returnedAt), away]
        }
        return CSV.render(header: ["disconnection_id", "meeting_id", "meeting_topic", "participant", "disconnected_at",
                                   "leave_reason", "bounced", "returned_at", "seconds_away"], rows: rows)
    }

    public static func incidents(_ snapshot: ProjectionSnapshot, privacy: ExportPrivacy, windowSeconds: Int) -> String {
        let platformWide = snapshot.platformWideIncidentIDs(windowSeconds: windowSeconds)
        let rows = snapshot.incidents.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }.map { incident -> [String] in
            let names = incident.participants.compactMap(privacy.displayName)
            return [incident.id, incident.meetingID, incident.topic ?? "", CSV.iso(incident.startedAt), CSV.iso(incident.endedAt),
                    String(incident.participantCount), names.joined(separator: "; "),
                    platformWide.contains(incident.id) ? "true" : "false"]
        }
        return CSV.render(header: ["incident_id", "meeting_id", "meeting_topic", "started_at", "ended_at",
                                   "participant_count", "participants", "platform_wide"], rows: rows)
    }
}
